package apigateway

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is "<name> (<id>)": REST API names are not unique.
func itemName(api *types.RestApi) string {
	return aws.ToString(api.Name) + " (" + aws.ToString(api.Id) + ")"
}

// normalize builds the stored shape of docs/technologies.md: the REST API
// passed through (dates ISO-Z), Arn and the parsed resource policy (null
// when none). API Gateway returns the policy as JSON whose quotes are
// backslash-escaped ({\"Version\":…}); it is unescaped before parsing.
func normalize(api *types.RestApi, arn string) (monkey.Config, error) {
	cfg, _ := awsclient.Passthrough(api).(map[string]any)
	cfg["Arn"] = arn
	var doc any
	if p := aws.ToString(api.Policy); p != "" {
		if strings.Contains(p, `\"`) {
			p = strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\/`, `/`).Replace(p)
		}
		d, err := awsclient.PolicyDocument(p)
		if err != nil {
			return nil, fmt.Errorf("resource policy: %w", err)
		}
		doc = d
	}
	cfg["Policy"] = doc
	return cfg, nil
}
