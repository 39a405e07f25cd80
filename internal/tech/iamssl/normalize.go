package iamssl

import (
	"crypto/dsa" //nolint:staticcheck // DSA keys are still found in old certificates: their size is reported
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// errorExtractingIssuer is the issuer of a certificate whose issuer has no
// Organization (O) attribute (technologies.md A.38).
const errorExtractingIssuer = "ERROR_EXTRACTING_ISSUER"

// normalize builds the stored config (technologies.md A.38) of a server
// certificate: its metadata, body and chain, and what its PEM body says.
// A body that cannot be parsed leaves the parsed keys out (the reference
// stored the metadata only); err says why.
func normalize(m *types.ServerCertificateMetadata, body, chain *string) (monkey.Config, error) {
	cfg := monkey.Config{
		"server_certificate_name": aws.ToString(m.ServerCertificateName),
		"server_certificate_id":   aws.ToString(m.ServerCertificateId),
		"arn":                     aws.ToString(m.Arn),
		"path":                    aws.ToString(m.Path),
		"upload_date":             isoZOrNull(m.UploadDate),
		"expiration":              isoZOrNull(m.Expiration),
		"body":                    aws.ToString(body),
		"chain":                   awsclient.StringOrNull(chain),
	}
	cert, err := parse(aws.ToString(body))
	if err != nil {
		return cfg, err
	}
	cfg["signature_algorithm"] = hashName(cert.SignatureAlgorithm)
	cfg["size"] = keySize(cert.PublicKey)
	cfg["issuer"] = issuer(cert)
	cfg["serial"] = cert.SerialNumber.String()
	cfg["cn"] = strings.TrimSpace(cert.Subject.CommonName)
	domains := make([]any, len(cert.DNSNames))
	for k, d := range cert.DNSNames {
		domains[k] = d
	}
	cfg["domains"] = domains
	cfg["is_san"] = trueOrNull(len(cert.DNSNames) > 1)
	cfg["is_wildcard"] = trueOrNull(len(cert.DNSNames) == 1 && strings.HasPrefix(cert.DNSNames[0], "*") ||
		strings.HasPrefix(cert.Subject.CommonName, "*"))
	cfg["not_valid_before"] = cert.NotBefore.UTC().Format(time.DateTime)
	cfg["not_valid_after"] = cert.NotAfter.UTC().Format(time.DateTime)
	return cfg, nil
}

func parse(body string) (*x509.Certificate, error) {
	block, _ := pem.Decode([]byte(body))
	if block == nil {
		return nil, errors.New("parse certificate body: no PEM block")
	}
	return x509.ParseCertificate(block.Bytes)
}

func isoZOrNull(t *time.Time) any {
	if t == nil {
		return nil
	}
	return awsclient.ISOZ(*t)
}

func trueOrNull(b bool) any {
	if b {
		return true
	}
	return nil
}

// hashName is the lower-case name of the hash of a signature algorithm, as
// Python's cryptography names it ("" for Ed25519, which has none).
func hashName(a x509.SignatureAlgorithm) string {
	switch a {
	case x509.MD2WithRSA:
		return "md2"
	case x509.MD5WithRSA:
		return "md5"
	case x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1:
		return "sha1"
	case x509.SHA256WithRSA, x509.SHA256WithRSAPSS, x509.DSAWithSHA256, x509.ECDSAWithSHA256:
		return "sha256"
	case x509.SHA384WithRSA, x509.SHA384WithRSAPSS, x509.ECDSAWithSHA384:
		return "sha384"
	case x509.SHA512WithRSA, x509.SHA512WithRSAPSS, x509.ECDSAWithSHA512:
		return "sha512"
	case x509.PureEd25519:
		return ""
	}
	return strings.ToLower(a.String())
}

// keySize is the public key size in bits (null for keys without one, such
// as Ed25519).
func keySize(pub any) any {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return k.N.BitLen()
	case *ecdsa.PublicKey:
		return k.Curve.Params().BitSize
	case *dsa.PublicKey:
		return k.P.BitLen()
	}
	return nil
}

// issuer is the issuer's first Organization with every character other
// than an ASCII letter or digit removed.
func issuer(c *x509.Certificate) string {
	if len(c.Issuer.Organization) == 0 {
		return errorExtractingIssuer
	}
	var b strings.Builder
	for _, r := range c.Issuer.Organization[0] {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
