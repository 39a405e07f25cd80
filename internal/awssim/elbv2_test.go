package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func elbv2Client(cfg aws.Config, region string) *elbv2.Client {
	return elbv2.NewFromConfig(cfg, func(o *elbv2.Options) { o.Region = region })
}

func TestELBv2(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 10, Items: 18})
	ctx := context.Background()
	id := b.srv.AccountIDs()[1]
	cfg := b.assumed(id)
	groups := sgIDs(t, cfg)

	total, pages, listeners, rules := 0, 0, 0, 0
	types := map[string]int{}
	policies := map[string]bool{}
	for _, region := range simRegions {
		c := elbv2Client(cfg, region)
		tgs, err := c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{PageSize: aws.Int32(400)})
		require.NoError(t, err)
		require.Len(t, tgs.TargetGroups, 6, "one per load balancer of the region")
		p := elbv2.NewDescribeLoadBalancersPaginator(c, &elbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(4)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			require.NoError(t, err)
			pages++
			var arns []string
			for _, lb := range out.LoadBalancers {
				total++
				arn := aws.ToString(lb.LoadBalancerArn)
				arns = append(arns, arn)
				types[string(lb.Type)]++
				require.Equal(t, "active", string(lb.State.Code))
				require.NotNil(t, lb.CreatedTime)
				require.Len(t, lb.AvailabilityZones, 1)
				require.Len(t, lb.SecurityGroups, 1)
				require.True(t, groups[region][lb.SecurityGroups[0]])

				ls, err := c.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: lb.LoadBalancerArn, PageSize: aws.Int32(400)})
				require.NoError(t, err)
				require.NotEmpty(t, ls.Listeners)
				for _, l := range ls.Listeners {
					listeners++
					require.Equal(t, arn, aws.ToString(l.LoadBalancerArn))
					require.Equal(t, "forward", string(l.DefaultActions[0].Type))
					if l.SslPolicy != nil {
						policies[aws.ToString(l.SslPolicy)] = true
						require.Len(t, l.Certificates, 1)
					}
					rs, err := c.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: l.ListenerArn})
					require.NoError(t, err)
					require.True(t, aws.ToBool(rs.Rules[len(rs.Rules)-1].IsDefault))
					rules += len(rs.Rules)
				}
				attrs, err := c.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn})
				require.NoError(t, err)
				require.Equal(t, "access_logs.s3.enabled", aws.ToString(attrs.Attributes[0].Key))
				own, err := c.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{LoadBalancerArn: lb.LoadBalancerArn})
				require.NoError(t, err)
				require.Len(t, own.TargetGroups, 1)
				require.Equal(t, []string{arn}, own.TargetGroups[0].LoadBalancerArns)
				ta, err := c.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: own.TargetGroups[0].TargetGroupArn})
				require.NoError(t, err)
				require.Len(t, ta.Attributes, 3)
				th, err := c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: own.TargetGroups[0].TargetGroupArn})
				require.NoError(t, err)
				require.Len(t, th.TargetHealthDescriptions, 1)
				require.NotEmpty(t, th.TargetHealthDescriptions[0].TargetHealth.State)
			}
			tags, err := c.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: arns})
			require.NoError(t, err)
			require.Len(t, tags.TagDescriptions, len(arns))
		}
	}
	require.Equal(t, 18, total)
	require.Equal(t, 6, pages, "6 per region, 4 per page")
	require.Equal(t, map[string]int{"application": 15, "network": 3}, types)
	require.Equal(t, 24, listeners)
	require.Equal(t, 30, rules)
	require.Equal(t, map[string]bool{"ELBSecurityPolicy-TLS-1-0-2015-04": true, "ELBSecurityPolicy-2016-08": true,
		"ELBSecurityPolicy-TLS13-1-2-2021-06": true, "ELBSecurityPolicy-2015-05": true}, policies)
	calls := b.srv.Calls()[id]
	require.Equal(t, 6, calls["elasticloadbalancingv2.DescribeLoadBalancers"], "counted under the ELBv2 service id")
	require.Zero(t, calls["elasticloadbalancing.DescribeLoadBalancers"])

	c := elbv2Client(cfg, "us-east-1")
	_, err := c.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:" + id + ":loadbalancer/app/sim-alb-web-1/0")})
	require.Equal(t, "LoadBalancerNotFound", apiCode(t, err))
	_, err = c.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:" + id + ":listener/app/x/y/z")})
	require.Equal(t, "ListenerNotFound", apiCode(t, err))
	_, err = c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:" + id + ":targetgroup/sim-tg-0/0")})
	require.Equal(t, "TargetGroupNotFound", apiCode(t, err))

	// Mutation, deletion, creation.
	mutated, err := b.srv.Mutate(id, "alb", 1)
	require.NoError(t, err)
	tags, err := c.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: mutated})
	require.NoError(t, err)
	require.Equal(t, "sim:mutation", aws.ToString(tags.TagDescriptions[0].Tags[1].Key))
	deleted, err := b.srv.Delete(id, "alb", 1) // 17, eu-west-1
	require.NoError(t, err)
	out, err := elbv2Client(cfg, "eu-west-1").DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	require.NoError(t, err)
	require.Len(t, out.LoadBalancers, 5)
	_, err = elbv2Client(cfg, "eu-west-1").DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(deleted[0])})
	require.Equal(t, "LoadBalancerNotFound", apiCode(t, err))
	_, err = b.srv.Create(id, "alb", 1) // 18, us-east-1
	require.NoError(t, err)
	out, err = c.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	require.NoError(t, err)
	require.Len(t, out.LoadBalancers, 7)
}
