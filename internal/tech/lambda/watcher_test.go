package lambda

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:lambda:eu-west-1:123456789012:function:api"
	fn := &types.FunctionConfiguration{FunctionName: aws.String("api"), FunctionArn: aws.String(arn), Runtime: types.RuntimePython312,
		Role: aws.String("arn:aws:iam::123456789012:role/api"), Handler: aws.String("index.handler"), CodeSize: 1024, Timeout: aws.Int32(30),
		MemorySize: aws.Int32(128), LastModified: aws.String("2019-03-04T05:06:07.000+0000"), Version: aws.String("$LATEST"),
		TracingConfig: &types.TracingConfigResponse{Mode: types.TracingModePassThrough}}
	pol := func(p string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":` + p + `,"Action":"lambda:InvokeFunction","Resource":"` + arn + `"}]}`
	}
	v1 := *fn
	v1.Version = aws.String("1")
	for _, tc := range []struct {
		name string
		in   raw
	}{
		{"full", raw{Function: fn,
			Aliases:  []types.AliasConfiguration{{AliasArn: aws.String(arn + ":live"), Name: aws.String("live"), FunctionVersion: aws.String("1")}},
			Versions: []types.FunctionConfiguration{*fn, v1},
			Mappings: []types.EventSourceMappingConfiguration{{UUID: aws.String("u-1"), State: aws.String("Enabled"),
				EventSourceArn: aws.String("arn:aws:sqs:eu-west-1:123456789012:q"), LastModified: aws.Time(time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC))}},
			Tags:     map[string]string{"team": "api"},
			Policies: map[string]string{"": pol(`{"Service":"s3.amazonaws.com"}`), "live": pol(`"*"`), "1": pol(`{"AWS":"210987654321"}`)}}},
		{"bare", raw{Function: &types.FunctionConfiguration{FunctionName: aws.String("bare"), FunctionArn: aws.String(arn)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := normalize(&tc.in)
			require.NoError(t, err)
			watchtest.Golden(t, "watcher_"+tc.name+".golden.json", cfg)
		})
	}
	_, err := normalize(&raw{Function: fn, Policies: map[string]string{"live": "{"}})
	require.ErrorContains(t, err, `policy "live"`)
}

const items = 12

func simOptions() awssim.Options {
	return awssim.Options{Accounts: 2, Seed: 43, Items: 1, ItemsPer: map[string]int{Technology.Index: items}}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	sim := watchtest.StartSim(t, simOptions())
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	aliasPolicies, versionPolicies, defaults, mappings := 0, 0, 0, 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"FunctionName", "FunctionArn", "Arn", "Runtime", "Role", "Handler", "CodeSize",
			"Description", "Timeout", "MemorySize", "LastModified", "CodeSha256", "Version", "TracingConfig", "RevisionId", "PackageType",
			"Architectures", "Aliases", "Versions", "Policy", "Tags", "EventSourceMappings", "_version"},
			[]string{"Environment", "VpcConfig"})
		require.Equal(t, it.Config["FunctionArn"], it.ARN)
		p := it.Config["Policy"].(map[string]any)
		aliasPolicies += len(p["Aliases"].(map[string]any))
		versionPolicies += len(p["Versions"].(map[string]any))
		if len(p["DEFAULT"].(map[string]any)) > 0 {
			defaults++
		}
		for _, m := range it.Config["EventSourceMappings"].([]any) {
			require.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$`, m.(map[string]any)["LastModified"])
			mappings++
		}
	}
	require.Equal(t, 3, aliasPolicies, "functions 0, 4, 8")
	require.Equal(t, 3, versionPolicies, "functions 2, 6, 10")
	require.Equal(t, 11, defaults, "function 6 has no policy (policy flavours cycle by 7)")
	require.Equal(t, 4, mappings)
	calls := sim.Client.Calls()
	require.Equal(t, int64(3), calls["lambda.ListFunctions"])
	require.Equal(t, int64(items+6+6), calls["lambda.GetPolicy"], "function, 6 aliases, 6 versions")
	require.Zero(t, calls["lambda.GetFunctionConfiguration"])

	scope.Ignore = []string{"sim-fn-1"}
	res, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res.Items, items-3)
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, simOptions())
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), sim.Scope(t, 1))
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, items*2/3)
	})
	t.Run("service fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), simOptions(), "lambda", "us-east-1", "sim-fn-0")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		// A few items: the adaptive retryer slows a throttled client down.
		opts := simOptions()
		opts.ItemsPer[Technology.Index] = 3
		got := watchtest.Throttled(t, NewWatcher(), opts)
		require.Len(t, got.Items, 3)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "lambda", 10000)
}
