package policy

import (
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.4) of one managed
// policy from its GetAccountAuthorizationDetails entry and its attachments.
// Attachment lists are sorted (their order carries no meaning).
func normalize(p *types.ManagedPolicyDetail, att attachments) (monkey.Config, error) {
	name := aws.ToString(p.PolicyName)
	def := aws.ToString(p.DefaultVersionId)
	var doc any
	found := false
	for _, v := range p.PolicyVersionList {
		if v.IsDefaultVersion || (def != "" && aws.ToString(v.VersionId) == def) {
			d, err := awsclient.PolicyDocumentPtr(v.Document)
			if err != nil {
				return nil, fmt.Errorf("policy %s version %s: %w", name, aws.ToString(v.VersionId), err)
			}
			doc, found = d, true
			break
		}
	}
	if !found {
		return nil, fmt.Errorf("policy %s: default version %q not returned", name, def)
	}
	return monkey.Config{
		"name":               name,
		"arn":                aws.ToString(p.Arn),
		"create_date":        awsclient.PyStr(p.CreateDate),
		"update_date":        awsclient.PyStr(p.UpdateDate),
		"default_version_id": def,
		"attachment_count":   int(aws.ToInt32(p.AttachmentCount)),
		"attached_users":     sortedList(att.Users),
		"attached_groups":    sortedList(att.Groups),
		"attached_roles":     sortedList(att.Roles),
		"policy":             doc,
	}, nil
}

func sortedList(s []string) []any {
	c := append([]string(nil), s...)
	sort.Strings(c)
	out := make([]any, len(c))
	for i, v := range c {
		out[i] = v
	}
	return out
}
