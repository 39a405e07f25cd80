package endpoint

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/watch/watchtest"
)

func TestWatcherNormalizeGolden(t *testing.T) {
	t.Parallel()
	for name, e := range map[string]types.VpcEndpoint{
		"full": {VpcEndpointId: aws.String("vpce-0123456789abcdef0"), VpcEndpointType: types.VpcEndpointTypeGateway,
			VpcId: aws.String("vpc-0123456789abcdef0"), ServiceName: aws.String("com.amazonaws.us-east-1.s3"), State: types.StateAvailable,
			PolicyDocument: aws.String(`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`),
			RouteTableIds:  []string{"rtb-1", "rtb-2"}, CreationTimestamp: aws.Time(time.Date(2019, 3, 4, 5, 6, 7, 123000000, time.UTC))},
		"bare": {VpcEndpointId: aws.String("vpce-00000000000000001")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			watchtest.Golden(t, "watcher_"+name+".golden.json", map[string]any{"name": itemName(&e), "config": normalize(&e, "")})
		})
	}
}

func TestWatcherSim(t *testing.T) {
	t.Parallel()
	const items = 14
	sim := watchtest.StartSim(t, awssim.Options{Accounts: 1, Seed: 32, Items: items})
	scope := sim.Scope(t, 0)
	res := watchtest.Run(t, NewWatcher(), scope)
	require.Len(t, res.Items, items)
	services := map[string]int{}
	nopolicy := 0
	for _, it := range res.Items {
		watchtest.RequireKeys(t, it.Config, []string{"id", "policy_document", "service_name", "service", "route_table_ids", "creation_time_stamp", "state", "vpc_id"}, nil)
		require.Equal(t, it.Name, it.Config["id"])
		require.Empty(t, it.ARN)
		require.Equal(t, "com.amazonaws."+it.Region+"."+it.Config["service"].(string), it.Config["service_name"])
		services[it.Config["service"].(string)]++
		switch p := it.Config["policy_document"].(type) {
		case string:
			var doc map[string]any
			require.NoError(t, json.Unmarshal([]byte(p), &doc), "the policy as the JSON string AWS returns")
		default:
			require.Equal(t, map[string]any{}, p)
			nopolicy++
		}
		require.Equal(t, []monkey.KnownResource{{Kind: "vpce", Value: it.Name}}, Facts(it.Name, it.Config))
	}
	require.Len(t, services, 4)
	require.Equal(t, 2, nopolicy)

	scope.Ignore = []string{res.Items[0].Name}
	res2, err := NewWatcher().Collect(context.Background(), scope)
	require.NoError(t, err)
	require.Len(t, res2.Items, items-1)
}

func TestFacts(t *testing.T) {
	t.Parallel()
	kr := func(v string) monkey.KnownResource { return monkey.KnownResource{Kind: "vpce", Value: v} }
	for _, tc := range []struct {
		cfg  monkey.Config
		want []monkey.KnownResource
	}{
		{monkey.Config{"id": "vpce-1"}, []monkey.KnownResource{kr("vpce-1")}},
		{monkey.Config{"id": ""}, nil},
		{monkey.Config{"id": 7}, nil},
		{monkey.Config{"vpc_id": "vpc-1"}, nil},
	} {
		require.Equal(t, tc.want, Plugin().Facts("e", tc.cfg), "%v", tc.cfg)
	}
}

func TestWatcherSimFaults(t *testing.T) {
	t.Parallel()
	t.Run("ec2 fails", func(t *testing.T) {
		t.Parallel()
		watchtest.ServiceFails(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 32, Items: 5}, "ec2", "us-east-1", "x")
	})
	t.Run("failing region", func(t *testing.T) {
		t.Parallel()
		sim := watchtest.StartSim(t, awssim.Options{Accounts: 2, Seed: 32, Items: 9})
		scope := sim.Scope(t, 1)
		require.NoError(t, sim.Server.SetFaults(awssim.Faults{FailRegions: []string{"eu-west-1"}}))
		res, err := NewWatcher().Collect(context.Background(), scope)
		require.NoError(t, err)
		require.Len(t, res.Failures, 1)
		require.Equal(t, "eu-west-1", res.Failures[0].Region)
		require.Empty(t, res.Failures[0].Name)
		require.Len(t, res.Items, 6)
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		got := watchtest.Throttled(t, NewWatcher(), awssim.Options{Accounts: 2, Seed: 32, Items: 30})
		require.Len(t, got.Items, 30)
	})
}

func BenchmarkWatcherCollectSim10000(b *testing.B) {
	watchtest.BenchmarkCollect(b, NewWatcher(), "ec2", 10000)
}
