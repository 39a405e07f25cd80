package connection

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.37) from the API's
// camel-case fields.
func normalize(c *types.Connection) monkey.Config {
	return monkey.Config{
		"name":             aws.ToString(c.ConnectionName),
		"connection_name":  aws.ToString(c.ConnectionName),
		"owner_account":    awsclient.StringOrNull(c.OwnerAccount),
		"connection_id":    awsclient.StringOrNull(c.ConnectionId),
		"connection_state": awsclient.EnumOrNull(c.ConnectionState),
		"region":           awsclient.StringOrNull(c.Region),
		"location":         awsclient.StringOrNull(c.Location),
		"bandwidth":        awsclient.StringOrNull(c.Bandwidth),
		"partner_name":     awsclient.StringOrNull(c.PartnerName),
		"vlan":             int(c.Vlan),
	}
}
