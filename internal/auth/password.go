package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// HashParams are the argon2id parameters of new password hashes.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultHashParams follow OWASP's argon2id recommendation (19 MiB, 2
// passes, 1 thread): about 30 ms per hash on the machines we run on.
var DefaultHashParams = HashParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// Hasher hashes and verifies passwords. New hashes are argon2id in the PHC
// string format; bcrypt hashes ($2a$, $2b$) are verified too.
type Hasher struct {
	p     HashParams
	dummy string // a hash of a random password, verified for unknown users
}

// NewHasher returns a Hasher with params p.
func NewHasher(p HashParams) (*Hasher, error) {
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 {
		return nil, fmt.Errorf("password hasher: memory, time and threads must be positive")
	}
	h := &Hasher{p: p}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("password hasher: %w", err)
	}
	dummy, err := h.Hash(string(b[:]))
	if err != nil {
		return nil, err
	}
	h.dummy = dummy
	return h, nil
}

// Hash returns the argon2id hash of password.
func (h *Hasher) Hash(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	sum := argon2.IDKey([]byte(password), salt, h.p.Time, h.p.Memory, h.p.Threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.p.Memory, h.p.Time, h.p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(sum)), nil
}

// Verify reports whether password matches hash. An empty or malformed hash
// never matches, but costs the same time as a real one.
func (h *Hasher) Verify(hash, password string) bool {
	switch {
	case strings.HasPrefix(hash, "$argon2id$"):
		ok, err := verifyArgon2(hash, password)
		return err == nil && ok
	case strings.HasPrefix(hash, "$2a$"), strings.HasPrefix(hash, "$2b$"), strings.HasPrefix(hash, "$2y$"):
		return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
	}
	h.Waste(password)
	return false
}

// Waste spends the time of one verification (unknown users, users without
// a password), so that timing does not tell whether an account exists.
func (h *Hasher) Waste(password string) {
	_, _ = verifyArgon2(h.dummy, password)
}

func verifyArgon2(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 {
		return false, fmt.Errorf("malformed argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("unsupported argon2 version")
	}
	var p HashParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("malformed argon2id parameters")
	}
	if p.Memory == 0 || p.Memory > 1<<22 || p.Time == 0 || p.Time > 64 || p.Threads == 0 {
		return false, fmt.Errorf("argon2id parameters out of range")
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("malformed argon2id salt")
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false, fmt.Errorf("malformed argon2id hash")
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
