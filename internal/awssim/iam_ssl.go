package awssim

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// IAM server certificates: ListServerCertificates, GetServerCertificate,
// and the technology iamssl (served by the IAM descriptor, iam.go).
//
// Certificate i is sim-ssl-<i> (path /cloudfront/ when i%7 == 6, else /).
// Its PEM body is a real X.509 certificate, built on first use and kept
// per (account, index, generation) so that every reply is identical, and
// identical across servers of one seed and day: the issuing CA's RSA key
// is derived from the seed and the account, PKCS #1 v1.5 signatures are
// deterministic, and subject keys are public keys only (no private key is
// ever needed). Variants (i%5 for the first 50 indices and every 20th
// after them, 0 otherwise), dates relative to Options.Now:
//
//	0 RSA 2048, SHA-256, two DNS names, issuer O "Sim Trust, Inc.", valid
//	  400 more days, with a chain (no issue);
//	1 RSA 1024, SHA-1, expiring in 20 days;
//	2 RSA 512, MD5, wildcard, expired 10 days ago;
//	3 RSA 2048, SHA-256, issuer without O, uploaded 2014-03-01 (before
//	  heartbleed), expiring in 45 days;
//	4 Ed25519 subject key (no size), SHA-256, no DNS name, valid 400 days.
//
// Mutations re-issue the certificate: a new serial number and one more day
// of validity per generation.

const techIAMSSL = "iamssl"

func iamSSLResource() resource {
	return resource{
		tech:        techIAMSSL,
		createdHour: 29,
		arn:         func(s *Server, a *account, i int) string { return s.sslARN(a, i) },
		mutates:     "the certificate is re-issued (new serial, one more day of validity)",
	}
}

func sslName(i int) string { return "sim-ssl-" + strconv.Itoa(i) }

func sslPath(i int) string {
	if i%7 == 6 {
		return "/cloudfront/"
	}
	return "/"
}

func (s *Server) sslARN(a *account, i int) string {
	return "arn:aws:iam::" + a.id + ":server-certificate" + sslPath(i) + sslName(i)
}

func sslVariant(i int) int {
	if bulkBenign(i) {
		return 0
	}
	return i % 5
}

// sslIndex is the index of a simulated certificate name (-1 when none).
func sslIndex(name string) int {
	num, ok := strings.CutPrefix(name, "sim-ssl-")
	i, err := strconv.Atoi(num)
	if !ok || err != nil || i < 0 || sslName(i) != name {
		return -1
	}
	return i
}

// sslUpload is when certificate i was uploaded.
func (s *Server) sslUpload(i int) time.Time {
	if sslVariant(i) == 3 {
		return time.Date(2014, 3, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	}
	return s.created(techIAMSSL, i)
}

// sslExpiry is when certificate i (at generation gen) expires.
func (s *Server) sslExpiry(i, gen int) time.Time {
	days := [...]int{400, 20, -10, 45, 400}[sslVariant(i)]
	return s.anchor.AddDate(0, 0, days+gen).Add(time.Duration(i%60) * time.Minute)
}

// sslCerts keeps the PEM bodies built so far in one account, and its CA.
type sslCerts struct {
	mu    sync.Mutex
	ca    *rsa.PrivateKey
	caID  []byte
	chain string            // the CA certificate, PEM
	pem   map[[2]int]string // (index, generation) → PEM body
}

func sslOf(a *account) *sslCerts { return iamOf(a).ssl }

// sslBody returns the PEM certificate body of item i at generation gen,
// and the PEM chain (the account's CA).
func (s *Server) sslBody(a *account, i, gen int) (body, chain string) {
	st := sslOf(a)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ca == nil {
		st.ca = deterministicRSAKey(s.h(salt("iamssl/ca"), uint64(a.idx)), 1024)
		st.caID = []byte(s.resourceID("", 20, hexDigits, "iamssl/ca-id", a, 0))
		st.chain = s.buildSSLCA(st)
		st.pem = map[[2]int]string{}
	}
	if body, ok := st.pem[[2]int{i, gen}]; ok {
		return body, st.chain
	}
	body = s.buildSSLCert(a, st, i, gen)
	st.pem[[2]int{i, gen}] = body
	return body, st.chain
}

var sslIssuer = pkix.Name{CommonName: "Sim Trust CA", Organization: []string{"Sim Trust, Inc."}}

// buildSSLCA is the self-signed certificate of the account's CA.
func (s *Server) buildSSLCA(st *sslCerts) string {
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               sslIssuer,
		NotBefore:             seedEpoch(s.opts.Seed),
		NotAfter:              seedEpoch(s.opts.Seed).AddDate(20, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
		SubjectKeyId:          st.caID,
		SignatureAlgorithm:    x509.SHA256WithRSA,
	}
	der, err := x509.CreateCertificate(constReader{}, tmpl, tmpl, &st.ca.PublicKey, st.ca)
	if err != nil {
		panic("awssim: build the simulated CA certificate: " + err.Error())
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func (s *Server) buildSSLCert(a *account, st *sslCerts, i, gen int) string {
	v := sslVariant(i)
	host := "ssl-" + strconv.Itoa(i) + ".sim.example.com"
	h := s.h(salt("iamssl/key"), uint64(a.idx), uint64(i))
	var pub crypto.PublicKey
	switch v {
	case 1:
		pub = fakeRSAPublicKey(h, 1024)
	case 2:
		pub = fakeRSAPublicKey(h, 512)
	case 4:
		seed := sha256.Sum256([]byte(strconv.FormatUint(h, 16)))
		pub = ed25519.NewKeyFromSeed(seed[:]).Public()
	default:
		pub = fakeRSAPublicKey(h, 2048)
	}
	issuer := sslIssuer
	if v == 3 {
		issuer = pkix.Name{CommonName: "Sim Anonymous CA", Country: []string{"US"}}
	}
	subject := pkix.Name{CommonName: "www." + host, Organization: []string{"Sim Corp"}}
	var dns []string
	switch v {
	case 2:
		subject.CommonName = "*." + host
		dns = []string{"*." + host}
	case 4:
		subject.CommonName = host
	default:
		dns = []string{"www." + host, host}
	}
	expiry := s.sslExpiry(i, gen)
	serial := new(big.Int).SetUint64(s.h(salt("iamssl/serial"), uint64(a.idx), uint64(i), uint64(gen)) >> 1)
	tmpl := &x509.Certificate{
		SerialNumber:       serial,
		Issuer:             issuer,
		Subject:            subject,
		DNSNames:           dns,
		NotBefore:          expiry.AddDate(-1, 0, 0),
		NotAfter:           expiry,
		KeyUsage:           x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:        []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		AuthorityKeyId:     st.caID,
		SignatureAlgorithm: x509.SHA256WithRSA,
	}
	parent := &x509.Certificate{Subject: issuer, SubjectKeyId: st.caID, PublicKey: &st.ca.PublicKey}
	der, err := x509.CreateCertificate(constReader{}, tmpl, parent, pub, st.ca)
	if err != nil {
		panic("awssim: build simulated server certificate " + sslName(i) + ": " + err.Error())
	}
	// SHA-1 and MD5 signatures are no longer made by crypto/x509: the
	// algorithm identifiers (same length) are rewritten; nothing here
	// verifies the signature.
	if v == 1 || v == 2 {
		last := byte(0x05) // sha1WithRSAEncryption
		if v == 2 {
			last = 0x04 // md5WithRSAEncryption
		}
		sha256RSA := []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b}
		weak := bytes.Clone(sha256RSA)
		weak[len(weak)-1] = last
		der = bytes.ReplaceAll(der, sha256RSA, weak)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// fakeRSAPublicKey is a deterministic RSA public key of bits bits: an odd
// modulus with the top bit set. It is not a product of two primes (no
// private key exists), which parsing never checks.
func fakeRSAPublicKey(h uint64, bits int) *rsa.PublicKey {
	n := new(big.Int).Rand(rand.New(rand.NewSource(int64(h))), new(big.Int).Lsh(big.NewInt(1), uint(bits)))
	n.SetBit(n, bits-1, 1).SetBit(n, 0, 1)
	return &rsa.PublicKey{N: n, E: 65537}
}

// deterministicRSAKey is an RSA key of bits bits whose primes come from a
// PRNG seeded with h: the same key on every server of one seed.
func deterministicRSAKey(h uint64, bits int) *rsa.PrivateKey {
	r := rand.New(rand.NewSource(int64(h)))
	prime := func() *big.Int {
		for {
			p := new(big.Int).Rand(r, new(big.Int).Lsh(big.NewInt(1), uint(bits/2)))
			p.SetBit(p, bits/2-1, 1).SetBit(p, bits/2-2, 1).SetBit(p, 0, 1)
			if p.ProbablyPrime(20) {
				return p
			}
		}
	}
	e := big.NewInt(65537)
	one := big.NewInt(1)
	for {
		p, q := prime(), prime()
		if p.Cmp(q) == 0 {
			continue
		}
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(e, phi)
		if d == nil {
			continue
		}
		k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: new(big.Int).Mul(p, q), E: 65537}, D: d, Primes: []*big.Int{p, q}}
		k.Precompute()
		if k.Validate() == nil {
			return k
		}
	}
}

// constReader is the randomness handed to x509.CreateCertificate: PKCS #1
// v1.5 signing needs none (its output is deterministic).
type constReader struct{}

func (constReader) Read(p []byte) (int, error) {
	for k := range p {
		p[k] = 0x5a
	}
	return len(p), nil
}

func (s *Server) sslMetadata(x *xw, a *account, i int) {
	gen := a.tech(techIAMSSL).generation(i)
	x.elem("Path", sslPath(i))
	x.elem("ServerCertificateName", sslName(i))
	x.elem("ServerCertificateId", "ASCA"+s.resourceID("", 17, b32Digits, "iamssl/id", a, i))
	x.elem("Arn", s.sslARN(a, i))
	x.elemTime("UploadDate", s.sslUpload(i))
	x.elemTime("Expiration", s.sslExpiry(i, gen))
}

func (s *Server) listServerCertificates(req *request) (result, *apiError) {
	a := req.acct
	max, aerr := iamPageSize(req)
	if aerr != nil {
		return result{}, aerr
	}
	start, ok := pageStart(req.form.Get("Marker"), techIAMSSL)
	if !ok {
		return result{}, errf(http.StatusBadRequest, "ValidationError", "Invalid Marker")
	}
	prefix := req.form.Get("PathPrefix")
	ts := a.tech(techIAMSSL)
	x := newXWSize(max * 400)
	x.open("ServerCertificateMetadataList")
	count, i := 0, start
	for ; i < ts.n && count < max; i++ {
		if !ts.exists(i) || !strings.HasPrefix(sslPath(i), prefix) {
			continue
		}
		x.open("member")
		s.sslMetadata(x, a, i)
		x.close("member")
		count++
	}
	x.close("ServerCertificateMetadataList")
	for ; i < ts.n; i++ {
		if ts.exists(i) && strings.HasPrefix(sslPath(i), prefix) {
			break
		}
	}
	x.elemBool("IsTruncated", i < ts.n)
	if i < ts.n {
		x.elem("Marker", pageToken(techIAMSSL, i))
	}
	return xmlResult(x), nil
}

func (s *Server) getServerCertificate(req *request) (result, *apiError) {
	a := req.acct
	name := req.form.Get("ServerCertificateName")
	i := sslIndex(name)
	if i < 0 || !a.tech(techIAMSSL).exists(i) {
		return result{}, errf(http.StatusNotFound, "NoSuchEntity", "The Server Certificate with name %s cannot be found.", name)
	}
	body, chain := s.sslBody(a, i, a.tech(techIAMSSL).generation(i))
	x := newXWSize(len(body) + len(chain) + 1024)
	x.open("ServerCertificate")
	x.open("ServerCertificateMetadata")
	s.sslMetadata(x, a, i)
	x.close("ServerCertificateMetadata")
	x.elem("CertificateBody", body)
	if sslVariant(i) == 0 {
		x.elem("CertificateChain", chain)
	}
	x.close("ServerCertificate")
	return xmlResult(x), nil
}
