package ecrrepository

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored shape of docs/technologies.md: the
// repository passed through (CreatedAt ISO-Z), Arn and the parsed
// repository policy (null when none).
func normalize(r *types.Repository, policy *string) (monkey.Config, error) {
	cfg, _ := awsclient.Passthrough(r).(map[string]any)
	cfg["Arn"] = aws.ToString(r.RepositoryArn)
	doc, err := awsclient.PolicyDocumentPtr(policy)
	if err != nil {
		return nil, fmt.Errorf("repository policy: %w", err)
	}
	cfg["Policy"] = doc
	return cfg, nil
}
