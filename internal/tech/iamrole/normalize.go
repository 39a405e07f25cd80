package iamrole

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// configVersion is the stored `_version` of iamrole configs.
const configVersion = 3

// normalize builds the stored config (technologies.md A.1) of one role from
// its GetAccountAuthorizationDetails entry. GAAD carries neither Description
// nor MaxSessionDuration (ListRoles attributes), so they are absent;
// RoleLastUsed and PermissionsBoundary (not ListRoles attributes) are not
// kept either.
func normalize(r *types.RoleDetail) (monkey.Config, error) {
	name := aws.ToString(r.RoleName)
	trust, err := awsclient.PolicyDocumentPtr(r.AssumeRolePolicyDocument)
	if err != nil {
		return nil, fmt.Errorf("role %s trust policy: %w", name, err)
	}
	inline := make(map[string]any, len(r.RolePolicyList))
	for _, p := range r.RolePolicyList {
		doc, err := awsclient.PolicyDocumentPtr(p.PolicyDocument)
		if err != nil {
			return nil, fmt.Errorf("role %s inline policy %s: %w", name, aws.ToString(p.PolicyName), err)
		}
		inline[aws.ToString(p.PolicyName)] = doc
	}
	managed := make([]any, 0, len(r.AttachedManagedPolicies))
	for _, p := range r.AttachedManagedPolicies {
		managed = append(managed, map[string]any{"name": aws.ToString(p.PolicyName), "arn": aws.ToString(p.PolicyArn)})
	}
	profiles := make([]any, 0, len(r.InstanceProfileList))
	for _, ip := range r.InstanceProfileList {
		profiles = append(profiles, map[string]any{
			"Path":                aws.ToString(ip.Path),
			"InstanceProfileName": aws.ToString(ip.InstanceProfileName),
			"CreateDate":          awsclient.ISOZPtr(ip.CreateDate),
			"InstanceProfileId":   aws.ToString(ip.InstanceProfileId),
			"Arn":                 aws.ToString(ip.Arn),
		})
	}
	tags := make(map[string]any, len(r.Tags))
	for _, t := range r.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return monkey.Config{
		"Arn":                      aws.ToString(r.Arn),
		"RoleName":                 name,
		"RoleId":                   aws.ToString(r.RoleId),
		"Path":                     aws.ToString(r.Path),
		"CreateDate":               awsclient.ISOZPtr(r.CreateDate),
		"AssumeRolePolicyDocument": trust,
		"InlinePolicies":           inline,
		"ManagedPolicies":          managed,
		"InstanceProfiles":         profiles,
		"Tags":                     tags,
		"_version":                 configVersion,
	}, nil
}
