package route53

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.43) of a record
// set of a hosted zone.
func normalize(z *types.HostedZone, r *types.ResourceRecordSet) monkey.Config {
	var private any = "Unknown"
	if z.Config != nil {
		private = z.Config.PrivateZone
	}
	records := make([]any, 0, len(r.ResourceRecords))
	for _, v := range r.ResourceRecords {
		records = append(records, aws.ToString(v.Value))
	}
	var ttl any
	if r.TTL != nil {
		ttl = int(*r.TTL)
	}
	return monkey.Config{
		"zonename":    aws.ToString(z.Name),
		"zoneid":      aws.ToString(z.Id),
		"zoneprivate": private,
		"name":        aws.ToString(r.Name),
		"type":        string(r.Type),
		"records":     records,
		"ttl":         ttl,
	}
}
