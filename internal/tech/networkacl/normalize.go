package networkacl

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is the NetworkAclId.
func itemName(acl *types.NetworkAcl) string { return aws.ToString(acl.NetworkAclId) }

// normalize builds the stored config (technologies.md A.29): entries,
// associations and tags in API casing ([] when absent).
func normalize(acl *types.NetworkAcl, _ string) monkey.Config {
	return monkey.Config{
		"id":           aws.ToString(acl.NetworkAclId),
		"vpc_id":       awsclient.StringOrNull(acl.VpcId),
		"is_default":   aws.ToBool(acl.IsDefault),
		"entries":      list(acl.Entries),
		"associations": list(acl.Associations),
		"tags":         list(acl.Tags),
	}
}

// list renders an API list in API casing, [] when absent.
func list[T any](v []T) []any {
	if v == nil {
		return []any{}
	}
	return awsclient.Passthrough(v).([]any)
}
