package securitygroup

import (
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is "<GroupName> (<GroupId> in <VpcId>)", or "<GroupName>
// (<GroupId>)" for a group without VPC.
func itemName(g *types.SecurityGroup) string {
	if vpc := aws.ToString(g.VpcId); vpc != "" {
		return fmt.Sprintf("%s (%s in %s)", aws.ToString(g.GroupName), aws.ToString(g.GroupId), vpc)
	}
	return fmt.Sprintf("%s (%s)", aws.ToString(g.GroupName), aws.ToString(g.GroupId))
}

// groupARN is arn:<partition>:ec2:<region>:<account>:security-group/<GroupId>.
func groupARN(partition, region, account, groupID string) string {
	return fmt.Sprintf("arn:%s:ec2:%s:%s:security-group/%s", partition, region, account, groupID)
}

// normalize builds the stored config (technologies.md A.6) of one group.
// assigned is the `assigned_to` value (see assignedTo); account is the
// scanned account number (in the ARN).
func normalize(g *types.SecurityGroup, region, partition, account string, assigned any) monkey.Config {
	var vpc any
	if v := aws.ToString(g.VpcId); v != "" {
		vpc = v
	}
	rules := make([]any, 0, len(g.IpPermissions)+len(g.IpPermissionsEgress))
	rules = appendRules(rules, "ingress", g.IpPermissions)
	rules = appendRules(rules, "egress", g.IpPermissionsEgress)
	return monkey.Config{
		"id":          aws.ToString(g.GroupId),
		"name":        aws.ToString(g.GroupName),
		"description": aws.ToString(g.Description),
		"vpc_id":      vpc,
		"owner_id":    aws.ToString(g.OwnerId),
		"region":      region,
		"arn":         groupARN(partition, region, account, aws.ToString(g.GroupId)),
		"rules":       rules,
		"assigned_to": assigned,
	}
}

func appendRules(rules []any, kind string, perms []types.IpPermission) []any {
	for _, p := range perms {
		base := func() map[string]any {
			return map[string]any{
				"rule_type":   kind,
				"ip_protocol": aws.ToString(p.IpProtocol),
				"from_port":   port(p.FromPort),
				"to_port":     port(p.ToPort),
				"cidr_ip":     nil,
				"owner_id":    nil,
				"group_id":    nil,
				"name":        nil,
			}
		}
		for _, r := range p.IpRanges {
			m := base()
			m["cidr_ip"] = aws.ToString(r.CidrIp)
			rules = append(rules, m)
		}
		for _, r := range p.Ipv6Ranges {
			m := base()
			m["cidr_ip"] = aws.ToString(r.CidrIpv6)
			rules = append(rules, m)
		}
		for _, pair := range p.UserIdGroupPairs {
			m := base()
			m["owner_id"] = strOrNil(pair.UserId)
			m["group_id"] = strOrNil(pair.GroupId)
			m["name"] = strOrNil(pair.GroupName)
			rules = append(rules, m)
		}
	}
	return rules
}

func port(p *int32) any {
	if p == nil {
		return nil
	}
	return int(*p)
}

func strOrNil(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// assignedTo maps GroupId → `assigned_to` value for detail FULL (a list of
// {tag key: value…, "instance_id": id} ordered by instance id) or SUMMARY
// ("<N> instances"). Groups used by no instance are absent.
// instanceRef is what assigned_to needs of an EC2 instance; the SDK's
// types.Instance is over a kilobyte even when mostly empty.
type instanceRef struct {
	id     string
	tags   []types.Tag
	groups []string
}

func refOf(in *types.Instance) instanceRef {
	r := instanceRef{id: aws.ToString(in.InstanceId), tags: in.Tags, groups: make([]string, len(in.SecurityGroups))}
	for i, g := range in.SecurityGroups {
		r.groups[i] = aws.ToString(g.GroupId)
	}
	return r
}

func assignedTo(instances []instanceRef, detail string) map[string]any {
	sorted := make([]*instanceRef, len(instances))
	for i := range instances {
		sorted[i] = &instances[i]
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].id < sorted[j].id })
	full := map[string][]any{}
	counts := map[string]int{}
	for _, in := range sorted {
		seen := map[string]bool{}
		for _, id := range in.groups {
			if seen[id] {
				continue
			}
			seen[id] = true
			counts[id]++
			if detail == DetailFull {
				entry := make(map[string]any, len(in.tags)+1)
				for _, t := range in.tags {
					entry[aws.ToString(t.Key)] = aws.ToString(t.Value)
				}
				entry["instance_id"] = in.id
				full[id] = append(full[id], entry)
			}
		}
	}
	out := make(map[string]any, len(counts))
	for id, n := range counts {
		if detail == DetailFull {
			out[id] = full[id]
		} else {
			out[id] = fmt.Sprintf("%d instances", n)
		}
	}
	return out
}
