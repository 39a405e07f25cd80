package virtualgateway

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.36);
// virtual_gateway_state is always null, as in the reference.
func normalize(g *types.VpnGateway) monkey.Config {
	attachments := []any{}
	if g.VpcAttachments != nil {
		attachments = awsclient.Passthrough(g.VpcAttachments).([]any)
	}
	return monkey.Config{
		"name":                  aws.ToString(g.VpnGatewayId),
		"state":                 string(g.State),
		"type":                  string(g.Type),
		"vpcAttachments":        attachments,
		"virtual_gateway_state": nil,
	}
}
