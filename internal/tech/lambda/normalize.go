package lambda

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// raw is what the Lambda calls return for one function; Policies maps a
// qualifier ("" for the unqualified function) to its policy.
type raw struct {
	Function *types.FunctionConfiguration
	Aliases  []types.AliasConfiguration
	Versions []types.FunctionConfiguration
	Mappings []types.EventSourceMappingConfiguration
	Tags     map[string]string
	Policies map[string]string
}

// normalize builds the stored shape of technologies.md A.10: the function
// configuration passed through, Arn, Aliases, Versions, Policy {DEFAULT,
// Aliases, Versions}, Tags, EventSourceMappings (LastModified PY-STR).
func normalize(r *raw) (monkey.Config, error) {
	cfg, _ := awsclient.Passthrough(r.Function).(map[string]any)
	cfg["Arn"] = aws.ToString(r.Function.FunctionArn)
	aliases := make([]any, len(r.Aliases))
	isAlias := map[string]bool{}
	for i := range r.Aliases {
		aliases[i] = awsclient.Passthrough(&r.Aliases[i])
		isAlias[aws.ToString(r.Aliases[i].Name)] = true
	}
	cfg["Aliases"] = aliases
	versions := make([]any, len(r.Versions))
	for i := range r.Versions {
		versions[i] = awsclient.Passthrough(&r.Versions[i])
	}
	cfg["Versions"] = versions
	pol := map[string]any{"DEFAULT": map[string]any{}, "Aliases": map[string]any{}, "Versions": map[string]any{}}
	for q, p := range r.Policies {
		doc, err := awsclient.PolicyDocument(p)
		if err != nil {
			return nil, fmt.Errorf("policy %q: %w", q, err)
		}
		switch {
		case q == "":
			pol["DEFAULT"] = doc
		case isAlias[q]:
			pol["Aliases"].(map[string]any)[q] = doc
		default:
			pol["Versions"].(map[string]any)[q] = doc
		}
	}
	cfg["Policy"] = pol
	tags := make(map[string]any, len(r.Tags))
	for k, v := range r.Tags {
		tags[k] = v
	}
	cfg["Tags"] = tags
	mappings := make([]any, len(r.Mappings))
	for i := range r.Mappings {
		m, _ := awsclient.Passthrough(&r.Mappings[i]).(map[string]any)
		if r.Mappings[i].LastModified != nil {
			m["LastModified"] = awsclient.PyStr(r.Mappings[i].LastModified)
		}
		mappings[i] = m
	}
	cfg["EventSourceMappings"] = mappings
	cfg["_version"] = 1
	return cfg, nil
}
