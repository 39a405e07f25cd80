package acm

import (
	"github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.45): the
// DescribeCertificate Certificate object in API casing, every timestamp
// (NotBefore, NotAfter, CreatedAt, IssuedAt, ImportedAt, RevokedAt,
// RenewalSummary.UpdatedAt) rendered ISO-OFF, absent fields left out.
func normalize(c *types.CertificateDetail) monkey.Config {
	cfg, ok := awsclient.PassthroughISOOff(c).(map[string]any)
	if !ok {
		return monkey.Config{}
	}
	return cfg
}
