package peering

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is "<value of the first tag> (<VpcPeeringConnectionId>)" when
// the connection has tags, else its id (technologies.md A.31; the
// reference's bytes-literal rendering is not reproduced).
func itemName(p *types.VpcPeeringConnection) string {
	id := aws.ToString(p.VpcPeeringConnectionId)
	if len(p.Tags) > 0 {
		return aws.ToString(p.Tags[0].Value) + " (" + id + ")"
	}
	return id
}

// normalize builds the stored config (technologies.md A.31).
func normalize(p *types.VpcPeeringConnection, name string) monkey.Config {
	return monkey.Config{
		"name":                      name,
		"status":                    object(p.Status),
		"accepter_vpc_info":         object(p.AccepterVpcInfo),
		"requester_vpc_info":        object(p.RequesterVpcInfo),
		"expiration_time":           awsclient.PyStr(p.ExpirationTime),
		"vpc_peering_connection_id": aws.ToString(p.VpcPeeringConnectionId),
	}
}

// object renders an API structure in API casing, {} when absent.
func object(v any) any {
	if m, ok := awsclient.Passthrough(v).(map[string]any); ok {
		return m
	}
	return map[string]any{}
}
