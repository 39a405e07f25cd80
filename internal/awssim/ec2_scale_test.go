package awssim_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

// benchEC2Page measures one reply of an EC2 operation holding 1,000 items
// (3,000 items of each technology spread over the three regions).
func benchEC2Page(b *testing.B, form url.Values) {
	srv, err := awssim.New(awssim.Options{Seed: 1, Accounts: 1, Items: 3000})
	require.NoError(b, err)
	h := srv.Handler()
	form.Set("Version", "2016-11-15")
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(rawQuery(b, h, "ec2", "us-east-1", form))
	}
	b.ReportMetric(float64(n), "bytes/page")
}

func BenchmarkDescribeImages1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeImages"}, "Owner.1": {"self"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeSnapshots1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeSnapshots"}, "Owner.1": {"self"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeVolumes500(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeVolumes"}, "MaxResults": {"500"}})
}

func BenchmarkDescribeAddresses1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeAddresses"}})
}

func BenchmarkDescribeKeyPairs1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeKeyPairs"}})
}

func BenchmarkDescribeTags1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeTags"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeNetworkInterfaces1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeNetworkInterfaces"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeVpcs1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeVpcs"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeInternetGateways1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeInternetGateways"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeSubnets1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeSubnets"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeRouteTables100(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeRouteTables"}, "MaxResults": {"100"}})
}

func BenchmarkDescribeNetworkAcls100(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeNetworkAcls"}, "MaxResults": {"100"}})
}

func BenchmarkDescribeDhcpOptions1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeDhcpOptions"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeVpcPeeringConnections1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeVpcPeeringConnections"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeVpcEndpoints1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeVpcEndpoints"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeFlowLogs1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeFlowLogs"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeNatGateways1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeNatGateways"}, "MaxResults": {"1000"}})
}

func BenchmarkDescribeVpnConnections1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeVpnConnections"}})
}

func BenchmarkDescribeVpnGateways1000(b *testing.B) {
	benchEC2Page(b, url.Values{"Action": {"DescribeVpnGateways"}})
}
