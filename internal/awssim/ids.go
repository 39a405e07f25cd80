package awssim

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"
)

// Deterministic ids, names and dates. Every simulated resource is a pure
// function of (seed, account, technology, index, mutation generation); these
// helpers turn such tuples into AWS-looking identifiers.

// mix is splitmix64 over a sequence of values.
func mix(vals ...uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, v := range vals {
		h ^= v
		h += 0x9e3779b97f4a7c15
		z := h
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		h = z ^ (z >> 31)
	}
	return h
}

// h hashes vals with the server's seed. The first value is a salt that
// tells id kinds apart; the first services use small integers, new code
// should use salt("<technology>/<kind>").
func (s *Server) h(vals ...uint64) uint64 {
	return mix(append([]uint64{uint64(s.opts.Seed)}, vals...)...)
}

// salt turns a name such as "kms/key-id" into a hash salt for Server.h.
func salt(name string) uint64 {
	f := fnv.New64a()
	_, _ = f.Write([]byte(name))
	return f.Sum64()
}

// resourceID is a deterministic id: prefix followed by n characters of
// alphabet, derived from (seed, kind, account, index). kind names the id,
// e.g. "kms/key-id"; two kinds never share ids.
func (s *Server) resourceID(prefix string, n int, alphabet, kind string, a *account, i int) string {
	return prefix + idString(s.h(salt(kind), uint64(a.idx), uint64(i)), n, alphabet)
}

func (s *Server) accountID(i int) string {
	return fmt.Sprintf("%012d", 100_000_000_000+s.h(0xacc, uint64(i))%900_000_000_000)
}

const hexDigits = "0123456789abcdef"
const b32Digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// idString renders n digits of alphabet from h (rehashing as needed).
func idString(h uint64, n int, alphabet string) string {
	b := make([]byte, n)
	base := uint64(len(alphabet))
	for k := range b {
		if k > 0 && k%12 == 0 {
			h = mix(h)
		}
		b[k] = alphabet[h%base]
		h /= base
	}
	return string(b)
}

// seedEpoch is the fixed creation epoch: a day in 2019 chosen by the seed.
func seedEpoch(seed int64) time.Time {
	d := mix(uint64(seed), 0xe90c) % 365
	return time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(d))
}

// created is the creation date of item i of technology tech: the seed
// epoch plus the technology's createdHour, plus i minutes.
func (s *Server) created(tech string, i int) time.Time {
	return s.epoch.Add(time.Duration(s.resources[tech].createdHour)*time.Hour + time.Duration(i)*time.Minute)
}

// indexedID is a 17-hex-digit id (prefix + 8 hashed digits + 9 digits
// encoding i) from which indexOfID recovers i without a search: for the
// per-item calls (DescribeImageAttribute…) of technologies with many items.
func (s *Server) indexedID(prefix, kind string, a *account, i int) string {
	h := s.h(salt(kind), uint64(a.idx), uint64(i))
	mask := s.h(salt(kind+"/mask"), uint64(a.idx)) & 0xfffffffff
	return fmt.Sprintf("%s%s%09x", prefix, idString(h, 8, hexDigits), (uint64(i)^mask)&0xfffffffff)
}

// indexOfID is the index of an id made by indexedID, or -1.
func (s *Server) indexOfID(prefix, kind string, a *account, id string) int {
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok || len(rest) != 17 {
		return -1
	}
	v, err := strconv.ParseUint(rest[8:], 16, 64)
	if err != nil {
		return -1
	}
	mask := s.h(salt(kind+"/mask"), uint64(a.idx)) & 0xfffffffff
	i := int(v ^ mask)
	if s.indexedID(prefix, kind, a, i) != id {
		return -1
	}
	return i
}
