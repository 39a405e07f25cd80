package change

import "bytes"

// Fingerprint is the canonical form of an item config and its two hashes.
type Fingerprint struct {
	Canonical    []byte // canonical JSON of the whole config
	CompleteHash string // hash of Canonical
	DurableHash  string // hash of the config without ephemeral paths
}

// Hasher computes fingerprints for one technology's ephemeral paths.
type Hasher struct {
	paths []Path
}

// NewHasher returns a Hasher for the $-separated ephemeral paths.
func NewHasher(ephemeral []string) *Hasher { return &Hasher{paths: ParsePaths(ephemeral)} }

// Fingerprint canonicalises cfg and hashes it with and without its
// ephemeral paths.
func (h *Hasher) Fingerprint(cfg map[string]any) (Fingerprint, error) {
	var buf bytes.Buffer
	if err := AppendCanonical(&buf, cfg); err != nil {
		return Fingerprint{}, err
	}
	full := buf.Bytes()
	fp := Fingerprint{Canonical: full, CompleteHash: Hash(full)}
	stripped, changed := stripAll(cfg, h.paths)
	if !changed {
		fp.DurableHash = fp.CompleteHash
		return fp, nil
	}
	var dbuf bytes.Buffer
	if err := AppendCanonical(&dbuf, stripped); err != nil {
		return Fingerprint{}, err
	}
	fp.DurableHash = Hash(dbuf.Bytes())
	return fp, nil
}
