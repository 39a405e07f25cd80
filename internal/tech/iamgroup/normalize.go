package iamgroup

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// addMembers adds to out (group name → {user ARN: user name}) the
// memberships of users, from their GroupList.
func addMembers(out map[string]map[string]any, users []types.UserDetail) {
	for _, u := range users {
		for _, g := range u.GroupList {
			m := out[g]
			if m == nil {
				m = map[string]any{}
				out[g] = m
			}
			m[aws.ToString(u.Arn)] = aws.ToString(u.UserName)
		}
	}
}

// normalize builds the stored config (technologies.md A.3) of one group.
// userMap is {user ARN: user name}; versions maps managed policy ARN →
// DefaultVersionId.
func normalize(g *types.GroupDetail, userMap map[string]any, versions map[string]string) (monkey.Config, error) {
	name := aws.ToString(g.GroupName)
	inline := make(map[string]any, len(g.GroupPolicyList))
	for _, p := range g.GroupPolicyList {
		doc, err := awsclient.PolicyDocumentPtr(p.PolicyDocument)
		if err != nil {
			return nil, fmt.Errorf("group %s inline policy %s: %w", name, aws.ToString(p.PolicyName), err)
		}
		inline[aws.ToString(p.PolicyName)] = doc
	}
	if userMap == nil {
		userMap = map[string]any{}
	}
	cfg := monkey.Config{
		"group": map[string]any{
			"arn":         aws.ToString(g.Arn),
			"group_name":  name,
			"group_id":    aws.ToString(g.GroupId),
			"path":        aws.ToString(g.Path),
			"create_date": awsclient.ISOZPtr(g.CreateDate),
		},
		"grouppolicies": inline,
		"users":         userMap,
	}
	if len(g.AttachedManagedPolicies) > 0 {
		managed := make([]any, 0, len(g.AttachedManagedPolicies))
		for _, p := range g.AttachedManagedPolicies {
			arn := aws.ToString(p.PolicyArn)
			managed = append(managed, map[string]any{
				"name":    aws.ToString(p.PolicyName),
				"arn":     arn,
				"version": versions[arn],
			})
		}
		cfg["managed_policies"] = managed
	}
	return cfg, nil
}
