package elasticsearchservice

import (
	"fmt"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored shape of technologies.md A.41: arn, name and
// the parsed access policy ({} when the domain has none).
func normalize(arn, name, policy string) (monkey.Config, error) {
	var doc any = map[string]any{}
	if policy != "" {
		d, err := awsclient.PolicyDocument(policy)
		if err != nil {
			return nil, fmt.Errorf("access policies: %w", err)
		}
		doc = d
	}
	return monkey.Config{"arn": arn, "name": name, "policy": doc}, nil
}
