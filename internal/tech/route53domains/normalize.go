package route53domains

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53domains"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.44) of a domain:
// its name and the admin and registrant contacts in API casing (null when
// GetDomainDetail returns none).
func normalize(d *route53domains.GetDomainDetailOutput) monkey.Config {
	return monkey.Config{
		"domain_name":        aws.ToString(d.DomainName),
		"admin_contact":      awsclient.Passthrough(d.AdminContact),
		"registrant_contact": awsclient.Passthrough(d.RegistrantContact),
	}
}
