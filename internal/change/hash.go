package change

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sync"
)

// Fingerprint is the canonical form of an item config and its two hashes.
type Fingerprint struct {
	Canonical    []byte // canonical JSON of the whole config
	CompleteHash string // hash of Canonical
	DurableHash  string // hash of the config without ephemeral paths
}

// Hasher computes fingerprints for one technology's ephemeral paths.
type Hasher struct {
	paths []Path
	// topLevel holds the ephemeral paths that are single top-level keys;
	// nested holds the others.
	topLevel map[string]bool
	nested   []Path
}

// NewHasher returns a Hasher for the $-separated ephemeral paths.
func NewHasher(ephemeral []string) *Hasher {
	h := &Hasher{paths: ParsePaths(ephemeral), topLevel: map[string]bool{}}
	for _, p := range h.paths {
		if len(p) == 1 && p[0] != "*" {
			h.topLevel[p[0]] = true
		} else {
			h.nested = append(h.nested, p)
		}
	}
	return h
}

// Fingerprint canonicalises cfg and hashes it with and without its
// ephemeral paths. Top-level ephemeral keys cost no second encoding: the
// durable hash is computed over the same member bytes minus those keys.
// Canonical is the caller's, exactly as long as the encoding.
func (h *Hasher) Fingerprint(cfg map[string]any) (Fingerprint, error) {
	buf := GetBuffer()
	defer PutBuffer(buf)
	fp, err := h.FingerprintInto(buf, cfg)
	fp.Canonical = bytes.Clone(fp.Canonical)
	return fp, err
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// GetBuffer returns an empty buffer for FingerprintInto from a pool.
func GetBuffer() *bytes.Buffer {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	return buf
}

// PutBuffer returns a buffer to the pool of GetBuffer (a very large one is
// dropped, not kept).
func PutBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		buffers.Put(buf)
	}
}

// FingerprintInto is Fingerprint encoding into buf (reset first):
// Canonical is buf's bytes, valid until buf is used again. A scan keeps
// the canonical form of new and changed items only, so the buffer of an
// unchanged item is reused for the next one instead of becoming garbage.
func (h *Hasher) FingerprintInto(buf *bytes.Buffer, cfg map[string]any) (Fingerprint, error) {
	buf.Reset()
	durableSrc, nestedChanged := cfg, false
	if len(h.nested) > 0 {
		durableSrc, nestedChanged = stripAll(cfg, h.nested)
	}
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	complete := sha256.New()
	durable := sha256.New()
	durableFirst := true
	buf.WriteByte('{')
	durable.Write([]byte{'{'})
	for i, k := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		start := buf.Len()
		appendString(buf, k)
		buf.WriteByte(':')
		if err := appendValue(buf, cfg[k], 1); err != nil {
			return Fingerprint{}, err
		}
		if h.topLevel[k] {
			continue
		}
		member := buf.Bytes()[start:]
		if nestedChanged {
			// A nested ephemeral path may have changed this member: hash
			// its stripped form.
			v, ok := durableSrc[k]
			if !ok {
				continue
			}
			var m bytes.Buffer
			appendString(&m, k)
			m.WriteByte(':')
			if err := appendValue(&m, v, 1); err != nil {
				return Fingerprint{}, err
			}
			member = m.Bytes()
		}
		if !durableFirst {
			durable.Write([]byte{','})
		}
		durableFirst = false
		durable.Write(member)
	}
	buf.WriteByte('}')
	durable.Write([]byte{'}'})
	complete.Write(buf.Bytes())
	return Fingerprint{
		Canonical:    buf.Bytes(),
		CompleteHash: hex.EncodeToString(complete.Sum(nil)),
		DurableHash:  hex.EncodeToString(durable.Sum(nil)),
	}, nil
}
