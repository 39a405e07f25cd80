package endpoint

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is the VpcEndpointId.
func itemName(e *types.VpcEndpoint) string { return aws.ToString(e.VpcEndpointId) }

// normalize builds the stored config (technologies.md A.32): the policy is
// kept as the JSON string AWS returns ({} when the endpoint has none).
func normalize(e *types.VpcEndpoint, _ string) monkey.Config {
	var policy any = map[string]any{}
	if e.PolicyDocument != nil {
		policy = *e.PolicyDocument
	}
	svc := aws.ToString(e.ServiceName)
	routes := make([]any, len(e.RouteTableIds))
	for i, r := range e.RouteTableIds {
		routes[i] = r
	}
	return monkey.Config{
		"id":                  aws.ToString(e.VpcEndpointId),
		"policy_document":     policy,
		"service_name":        svc,
		"service":             svc[strings.LastIndexByte(svc, '.')+1:],
		"route_table_ids":     routes,
		"creation_time_stamp": awsclient.PyStr(e.CreationTimestamp),
		"state":               awsclient.EnumOrNull(e.State),
		"vpc_id":              awsclient.StringOrNull(e.VpcId),
	}
}
