package awssim

import (
	"fmt"
	"strconv"
	"strings"
)

// EC2 key pairs: the technology keypair and DescribeKeyPairs (every key
// pair of the region in one reply, as AWS does).

const techKeyPair = "keypair"

func keyPairResource() resource {
	return resource{
		tech: techKeyPair,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":key-pair/" + keyPairName(k)
		},
		mutates: "the key is re-imported under its name: a new fingerprint",
	}
}

func keyPairName(k int) string { return "sim-key-" + strconv.Itoa(k) }

// keyFingerprint: keys created by EC2 (even k) have the SHA-1 fingerprint
// of their private key (20 bytes), imported keys (odd k) the MD5 of their
// public key (16 bytes), in colon-separated hex; a mutation changes it.
func (s *Server) keyFingerprint(a *account, k, gen int) string {
	n := 20
	if k%2 == 1 {
		n = 16
	}
	parts := make([]string, n)
	h := s.h(salt("keypair/fingerprint"), uint64(a.idx), uint64(k), uint64(gen))
	for i := range parts {
		if i%8 == 0 && i > 0 {
			h = mix(h)
		}
		parts[i] = fmt.Sprintf("%02x", (h>>(8*(i%8)))&0xff)
	}
	return strings.Join(parts, ":")
}

func (s *Server) describeKeyPairs(req *request) (result, *apiError) {
	a := req.acct
	r := s.regionIndex(req.region)
	ts := a.tech(techKeyPair)
	x := newXWSize(4096)
	x.open("keySet")
	s.regionItems(ts, r, 0, nil, func(k int) bool {
		x.open("item")
		x.elem("keyPairId", s.resourceID("key-", 17, hexDigits, "keypair/id", a, k))
		x.elem("keyName", keyPairName(k))
		x.elem("keyFingerprint", s.keyFingerprint(a, k, ts.generation(k)))
		x.elem("keyType", [...]string{"rsa", "rsa", "ed25519"}[k%3])
		x.elemTime("createTime", s.created(techKeyPair, k))
		x.close("item")
		return true
	})
	x.close("keySet")
	return xmlResult(x), nil
}
