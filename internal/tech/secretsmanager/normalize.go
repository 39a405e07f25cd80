package secretsmanager

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored shape of docs/technologies.md: the secret's
// list entry passed through (dates ISO-Z), Tags as a map, Arn and the
// parsed resource policy (null when none).
func normalize(s *types.SecretListEntry, policy *string) (monkey.Config, error) {
	cfg, _ := awsclient.Passthrough(s).(map[string]any)
	tags := make(map[string]any, len(s.Tags))
	for _, t := range s.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	cfg["Tags"] = tags
	cfg["Arn"] = aws.ToString(s.ARN)
	doc, err := awsclient.PolicyDocumentPtr(policy)
	if err != nil {
		return nil, fmt.Errorf("resource policy: %w", err)
	}
	cfg["Policy"] = doc
	return cfg, nil
}
