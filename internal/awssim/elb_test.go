package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func elbClient(cfg aws.Config, region string) *elb.Client {
	return elb.NewFromConfig(cfg, func(o *elb.Options) { o.Region = region })
}

func TestELB(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 9, Items: 24})
	ctx := context.Background()
	id := b.srv.AccountIDs()[2]
	cfg := b.assumed(id)
	groups := sgIDs(t, cfg)

	total, pages := 0, 0
	var classic, internal, custom, reference, sticky bool
	for _, region := range simRegions {
		c := elbClient(cfg, region)
		p := elb.NewDescribeLoadBalancersPaginator(c, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(3)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			require.NoError(t, err)
			pages++
			var names []string
			for _, lb := range out.LoadBalancerDescriptions {
				total++
				name := aws.ToString(lb.LoadBalancerName)
				names = append(names, name)
				require.NotNil(t, lb.CreatedTime)
				require.NotEmpty(t, lb.ListenerDescriptions)
				require.NotNil(t, lb.ListenerDescriptions[0].Listener)
				require.Positive(t, aws.ToInt32(lb.ListenerDescriptions[0].Listener.InstancePort))
				require.Len(t, lb.Instances, 1)
				require.NotNil(t, lb.HealthCheck)
				require.NotNil(t, lb.Policies)
				for _, g := range lb.SecurityGroups {
					require.True(t, groups[region][g], "%s uses a group of its region", name)
				}
				classic = classic || lb.VPCId == nil
				internal = internal || aws.ToString(lb.Scheme) == "internal"
				sticky = sticky || len(lb.Policies.LBCookieStickinessPolicies) == 1

				attrs, err := c.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: lb.LoadBalancerName})
				require.NoError(t, err)
				require.NotNil(t, attrs.LoadBalancerAttributes.AccessLog)
				require.NotNil(t, attrs.LoadBalancerAttributes.ConnectionDraining)
				require.Len(t, attrs.LoadBalancerAttributes.AdditionalAttributes, 1)

				var names []string
				for _, l := range lb.ListenerDescriptions {
					names = append(names, l.PolicyNames...)
				}
				pol, err := c.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: lb.LoadBalancerName, PolicyNames: names})
				require.NoError(t, err)
				require.Len(t, pol.PolicyDescriptions, len(names))
				for _, d := range pol.PolicyDescriptions {
					for _, a := range d.PolicyAttributeDescriptions {
						if aws.ToString(a.AttributeName) == "Reference-Security-Policy" {
							reference = true
						}
						if aws.ToString(a.AttributeName) == "EXP-RC4-MD5" {
							custom = true
						}
					}
				}
			}
			tags, err := c.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: names})
			require.NoError(t, err)
			require.Len(t, tags.TagDescriptions, len(names))
			require.Equal(t, "env", aws.ToString(tags.TagDescriptions[0].Tags[0].Key))
		}
	}
	require.Equal(t, 24, total)
	require.Equal(t, 9, pages, "8 per region, 3 per page")
	require.True(t, classic && internal && custom && reference && sticky)

	c := elbClient(cfg, "us-east-1")
	_, err := c.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: aws.String("sim-elb-ssh-1")})
	require.Equal(t, "LoadBalancerNotFound", apiCode(t, err))
	_, err = c.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: aws.String("sim-elb-ssh-0"), PolicyNames: []string{"nope"}})
	require.Equal(t, "PolicyNotFound", apiCode(t, err))
	require.Equal(t, 9, b.srv.Calls()[id]["elasticloadbalancing.DescribeLoadBalancers"], "counted under the ELB service id")

	// Mutation, deletion, creation.
	mutated, err := b.srv.Mutate(id, "elb", 1)
	require.NoError(t, err)
	require.Equal(t, []string{"arn:aws:elasticloadbalancing:us-east-1:" + id + ":loadbalancer/sim-elb-ssh-0"}, mutated)
	tags, err := c.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: []string{"sim-elb-ssh-0"}})
	require.NoError(t, err)
	require.Equal(t, "sim:mutation", aws.ToString(tags.TagDescriptions[0].Tags[1].Key))
	_, err = b.srv.Delete(id, "elb", 1) // 23, eu-west-1
	require.NoError(t, err)
	out, err := elbClient(cfg, "eu-west-1").DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	require.NoError(t, err)
	require.Len(t, out.LoadBalancerDescriptions, 7)
	_, err = b.srv.Create(id, "elb", 1) // 24, us-east-1
	require.NoError(t, err)
	out, err = c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	require.NoError(t, err)
	require.Len(t, out.LoadBalancerDescriptions, 9)
}
