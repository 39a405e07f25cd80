package redshift

import (
	"github.com/aws/aws-sdk-go-v2/service/redshift/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.42): the
// DescribeClusters cluster object in API casing, ClusterCreateTime as ISO-Z
// (the spec allows it in place of the legacy epoch seconds), plus "arn".
func normalize(c *types.Cluster, arn string) monkey.Config {
	cfg, _ := awsclient.Passthrough(c).(map[string]any)
	cfg["arn"] = arn
	return cfg
}
