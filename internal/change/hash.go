package change

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
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
func (h *Hasher) Fingerprint(cfg map[string]any) (Fingerprint, error) {
	durableSrc, nestedChanged := cfg, false
	if len(h.nested) > 0 {
		durableSrc, nestedChanged = stripAll(cfg, h.nested)
	}
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	var buf bytes.Buffer
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
		appendString(&buf, k)
		buf.WriteByte(':')
		if err := appendValue(&buf, cfg[k], 1); err != nil {
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
