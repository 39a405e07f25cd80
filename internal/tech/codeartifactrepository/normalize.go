package codeartifactrepository

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/codeartifact/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored shape of docs/technologies.md: the
// repository summary passed through (CreatedTime ISO-Z) and the parsed
// permissions policy document (null when none). The policy's revision id
// is not kept: it changes with every write, the document says what
// changed.
func normalize(r *types.RepositorySummary, policy *string) (monkey.Config, error) {
	cfg, _ := awsclient.Passthrough(r).(map[string]any)
	doc, err := awsclient.PolicyDocumentPtr(policy)
	if err != nil {
		return nil, fmt.Errorf("repository permissions policy: %w", err)
	}
	cfg["Policy"] = doc
	return cfg, nil
}
