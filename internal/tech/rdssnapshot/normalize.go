package rdssnapshot

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// automated is the SnapshotType of the snapshots RDS takes itself, which
// cannot be shared.
const automated = "automated"

// normalize builds the stored config (technologies.md A.16): the whole
// DescribeDBSnapshots entry in API casing with PY-STR timestamps, Arn, and
// Attributes (attribute name → values) from DescribeDBSnapshotAttributes.
func normalize(s *types.DBSnapshot, attrs []types.DBSnapshotAttribute) monkey.Config {
	cfg := monkey.Config(awsclient.PassthroughPyStr(s).(map[string]any))
	cfg["Arn"] = aws.ToString(s.DBSnapshotArn)
	cfg["Attributes"] = attributes(attrs)
	return cfg
}

// attributes renders DescribeDBSnapshotAttributes' list as a map.
func attributes(attrs []types.DBSnapshotAttribute) map[string]any {
	out := make(map[string]any, len(attrs))
	for _, a := range attrs {
		values := make([]any, len(a.AttributeValues))
		for i, v := range a.AttributeValues {
			values[i] = v
		}
		out[aws.ToString(a.AttributeName)] = values
	}
	return out
}

// unshared are the attributes of a snapshot that cannot be shared (an
// automated one): what DescribeDBSnapshotAttributes answers for it.
func unshared() []types.DBSnapshotAttribute {
	return []types.DBSnapshotAttribute{{AttributeName: aws.String("restore"), AttributeValues: []string{}}}
}
