package configrecorder

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.48) of a
// recorder. recording_group keeps the API's member names (allSupported,
// includeGlobalResourceTypes, resourceTypes), plus exclusionByResourceTypes
// and recordingStrategy when AWS returns them (they came after the
// reference, and say what is not recorded).
func normalize(r *types.ConfigurationRecorder) monkey.Config {
	var group any
	if g := r.RecordingGroup; g != nil {
		names := func(list []types.ResourceType) []any {
			out := make([]any, 0, len(list))
			for _, t := range list {
				out = append(out, string(t))
			}
			return out
		}
		m := map[string]any{
			"allSupported":               g.AllSupported,
			"includeGlobalResourceTypes": g.IncludeGlobalResourceTypes,
			"resourceTypes":              names(g.ResourceTypes),
		}
		if g.ExclusionByResourceTypes != nil {
			m["exclusionByResourceTypes"] = map[string]any{"resourceTypes": names(g.ExclusionByResourceTypes.ResourceTypes)}
		}
		if g.RecordingStrategy != nil {
			m["recordingStrategy"] = map[string]any{"useOnly": string(g.RecordingStrategy.UseOnly)}
		}
		group = m
	}
	return monkey.Config{
		"name":            aws.ToString(r.Name),
		"role_arn":        awsclient.StringOrNull(r.RoleARN),
		"recording_group": group,
	}
}
