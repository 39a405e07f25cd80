package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	cstypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func configClient(cfg aws.Config, region string) *configservice.Client {
	return configservice.NewFromConfig(cfg, func(o *configservice.Options) { o.Region = region })
}

func TestConfigRules(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 56, Accounts: 2, ItemsPer: map[string]int{"config": 90}})
	ctx := context.Background()
	id := b.srv.AccountIDs()[1]
	cfg := b.assumed(id)
	owners := map[cstypes.Owner]int{}
	total, pages, deleting, params := 0, 0, 0, 0
	for _, region := range simRegions {
		p := configservice.NewDescribeConfigRulesPaginator(configClient(cfg, region), &configservice.DescribeConfigRulesInput{})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			require.NoError(t, err)
			pages++
			for _, r := range out.ConfigRules {
				total++
				require.Contains(t, aws.ToString(r.ConfigRuleArn), "arn:aws:config:"+region+":"+id+":config-rule/config-rule-")
				require.NotNil(t, r.Source)
				owners[r.Source.Owner]++
				if r.ConfigRuleState == cstypes.ConfigRuleStateDeleting {
					deleting++
				}
				if r.InputParameters != nil {
					params++
				}
				if r.Source.Owner == cstypes.OwnerCustomLambda {
					require.Len(t, r.Source.SourceDetails, 2)
					require.Equal(t, "prod", aws.ToString(r.Scope.TagValue))
				}
			}
		}
	}
	require.Equal(t, 90, total)
	require.Equal(t, 6, pages, "25 a page, 30 a region")
	require.Equal(t, 12, owners[cstypes.OwnerCustomLambda])
	require.Equal(t, 12, deleting)
	require.Equal(t, 13, params)

	c := configClient(cfg, "us-east-1")
	_, err := c.DescribeConfigRules(ctx, &configservice.DescribeConfigRulesInput{ConfigRuleNames: []string{"sim-rule-1"}})
	var nf *cstypes.NoSuchConfigRuleException
	require.ErrorAs(t, err, &nf, "rule 1 lives in us-west-2")
	arns, err := b.srv.Mutate(id, "config", 1)
	require.NoError(t, err)
	out, err := c.DescribeConfigRules(ctx, &configservice.DescribeConfigRulesInput{ConfigRuleNames: []string{"sim-rule-0"}})
	require.NoError(t, err)
	require.Equal(t, arns[0], aws.ToString(out.ConfigRules[0].ConfigRuleArn))
	require.JSONEq(t, `{"maxAccessKeyAge":"91"}`, aws.ToString(out.ConfigRules[0].InputParameters))
}

func TestConfigRecorders(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 57, Accounts: 2, ItemsPer: map[string]int{"configrecorder": 6}})
	ctx := context.Background()
	id := b.srv.AccountIDs()[0]
	strategies := map[cstypes.RecordingStrategyType]int{}
	for _, region := range simRegions {
		out, err := configClient(b.cfg, region).DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{})
		require.NoError(t, err)
		require.Len(t, out.ConfigurationRecorders, 2)
		for _, r := range out.ConfigurationRecorders {
			require.NotNil(t, r.RecordingGroup)
			require.NotNil(t, r.RecordingGroup.RecordingStrategy)
			strategies[r.RecordingGroup.RecordingStrategy.UseOnly]++
			require.Contains(t, aws.ToString(r.Arn), ":configuration-recorder/"+aws.ToString(r.Name)+"/")
		}
	}
	require.Equal(t, map[cstypes.RecordingStrategyType]int{"ALL_SUPPORTED_RESOURCE_TYPES": 2, "INCLUSION_BY_RESOURCE_TYPES": 2, "EXCLUSION_BY_RESOURCE_TYPES": 2}, strategies)
	c := configClient(b.cfg, "us-east-1")
	_, err := b.srv.Mutate(id, "configrecorder", 1)
	require.NoError(t, err)
	out, err := c.DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{ConfigurationRecorderNames: []string{"sim-recorder-0"}})
	require.NoError(t, err)
	require.Len(t, out.ConfigurationRecorders, 1)
	require.Equal(t, "arn:aws:iam::"+id+":role/config-role-1", aws.ToString(out.ConfigurationRecorders[0].RoleARN))
	_, err = c.DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{ConfigurationRecorderNames: []string{"sim-recorder-1"}})
	var nf *cstypes.NoSuchConfigurationRecorderException
	require.ErrorAs(t, err, &nf)
}
