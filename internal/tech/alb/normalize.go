package alb

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// raw is what the watcher reads about one load balancer.
type raw struct {
	LB                    *types.LoadBalancer
	Listeners             []types.Listener
	Rules                 []types.Rule // of every listener, concatenated
	Attributes            []types.LoadBalancerAttribute
	Tags                  []types.TagDescription
	TargetGroups          []types.TargetGroup
	TargetGroupAttributes []types.TargetGroupAttribute    // of every target group, concatenated
	TargetGroupHealth     []types.TargetHealthDescription // of every target group, concatenated
}

// normalize builds the stored config (technologies.md A.12): the
// DescribeLoadBalancers entry in API casing with CreatedTime PY-STR, Arn,
// Region, and the listeners, rules, attributes, tags, target groups, their
// attributes and health.
func normalize(r *raw, region string) monkey.Config {
	cfg := monkey.Config(awsclient.Passthrough(r.LB).(map[string]any))
	cfg["CreatedTime"] = awsclient.PyStr(r.LB.CreatedTime)
	cfg["Arn"] = aws.ToString(r.LB.LoadBalancerArn)
	cfg["Region"] = region
	cfg["Listeners"] = awsclient.Passthrough(r.Listeners)
	cfg["Rules"] = awsclient.Passthrough(r.Rules)
	cfg["Attributes"] = awsclient.Passthrough(r.Attributes)
	cfg["Tags"] = awsclient.Passthrough(r.Tags)
	cfg["TargetGroups"] = awsclient.Passthrough(r.TargetGroups)
	cfg["TargetGroupAttributes"] = awsclient.Passthrough(r.TargetGroupAttributes)
	cfg["TargetGroupHealth"] = awsclient.Passthrough(r.TargetGroupHealth)
	cfg["_version"] = 2
	return cfg
}
