package config

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.47) of a rule:
// Scope and Source in API casing ({} when absent), and the reference's
// misspelt "imput_parameters".
func normalize(r *types.ConfigRule) monkey.Config {
	object := func(v any) any {
		if m, ok := awsclient.Passthrough(v).(map[string]any); ok {
			return m
		}
		return map[string]any{}
	}
	var freq, state any
	if r.MaximumExecutionFrequency != "" {
		freq = string(r.MaximumExecutionFrequency)
	}
	if r.ConfigRuleState != "" {
		state = string(r.ConfigRuleState)
	}
	return monkey.Config{
		"config_rule":                 aws.ToString(r.ConfigRuleName),
		"config_rule_arn":             aws.ToString(r.ConfigRuleArn),
		"config_rule_id":              aws.ToString(r.ConfigRuleId),
		"scope":                       object(r.Scope),
		"source":                      object(r.Source),
		"imput_parameters":            awsclient.StringOrNull(r.InputParameters),
		"maximum_execution_frequency": freq,
		"config_rule_state":           state,
	}
}
