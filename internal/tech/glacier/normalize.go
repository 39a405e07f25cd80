package glacier

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored shape of technologies.md A.40: the vault's
// list entry (dates as returned), Arn, the parsed access policy (null when
// none) and the tags.
func normalize(v *types.DescribeVaultOutput, policy *string, tags map[string]string) (monkey.Config, error) {
	cfg, _ := awsclient.Passthrough(v).(map[string]any)
	cfg["NumberOfArchives"] = int(v.NumberOfArchives)
	cfg["SizeInBytes"] = int(v.SizeInBytes)
	cfg["Arn"] = aws.ToString(v.VaultARN)
	doc, err := awsclient.PolicyDocumentPtr(policy)
	if err != nil {
		return nil, fmt.Errorf("vault access policy: %w", err)
	}
	cfg["Policy"] = doc
	t := make(map[string]any, len(tags))
	for k, v := range tags {
		t[k] = v
	}
	cfg["Tags"] = t
	cfg["_version"] = 1
	return cfg, nil
}
