package metrics_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/awssim/awssimtest"
	"github.com/secmonkey/monkey/internal/metrics"
	"github.com/secmonkey/monkey/internal/monkey"
)

// TestCloudWatchAgainstSimulatedAWS posts through the real SDK (CBOR
// protocol) to aws-sim and reads back what it received.
func TestCloudWatchAgainstSimulatedAWS(t *testing.T) {
	t.Parallel()
	endpoint, sim := awssimtest.Start(t, awssim.Options{Accounts: 1, Seed: 1})
	client := cloudwatch.NewFromConfig(awssimtest.Config(t, endpoint))
	m := metrics.New()
	cw, err := metrics.NewCloudWatch(metrics.CloudWatchConfig{Namespace: "securitymonkey"}, client, discard(), m)
	require.NoError(t, err)
	require.NoError(t, cw.Start(context.Background()))
	sg := monkey.Technology{Index: "securitygroup", Singular: "Security Group"}
	cw.ItemsAdded("123456789012", role, 12)
	cw.ItemsCompleted("123456789012", role, 12)
	cw.ItemsCompleted("123456789012", sg, 3)
	require.NoError(t, cw.Stop(context.Background()))

	got := map[string]float64{}
	for _, d := range sim.MetricData() {
		require.Equal(t, "securitymonkey", d.Namespace)
		require.Equal(t, "Count", d.Unit)
		require.Equal(t, "123456789012", d.Dimensions["account_number"])
		got[d.Metric+"/"+d.Dimensions["tech"]] += d.Value
	}
	require.Equal(t, map[string]float64{
		"queue_items_added/IAM Role":           12,
		"queue_items_completed/IAM Role":       12,
		"queue_items_completed/Security Group": 3,
	}, got)
	require.Equal(t, 3.0, value(t, m, "monkey_cloudwatch_datums_posted_total", nil))
	require.Zero(t, value(t, m, "monkey_cloudwatch_errors_total", nil))
}
