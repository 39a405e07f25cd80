package dhcp

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is the DhcpOptionsId.
func itemName(d *types.DhcpOptions) string { return aws.ToString(d.DhcpOptionsId) }

// normalize builds the stored config (technologies.md A.30): the id and one
// key per option, named as the option, holding its only value as a string
// or its values as a list.
func normalize(d *types.DhcpOptions, _ string) monkey.Config {
	cfg := monkey.Config{"id": aws.ToString(d.DhcpOptionsId)}
	for _, o := range d.DhcpConfigurations {
		key := aws.ToString(o.Key)
		if key == "" || key == "id" {
			continue
		}
		values := make([]any, len(o.Values))
		for i, v := range o.Values {
			values[i] = aws.ToString(v.Value)
		}
		if len(values) == 1 {
			cfg[key] = values[0]
		} else {
			cfg[key] = values
		}
	}
	return cfg
}
