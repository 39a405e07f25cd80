package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	dxtypes "github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func dxClient(cfg aws.Config, region string) *directconnect.Client {
	return directconnect.NewFromConfig(cfg, func(o *directconnect.Options) { o.Region = region })
}

func dxConnections(t *testing.T, cfg aws.Config, region string, pageSize int32) []dxtypes.Connection {
	t.Helper()
	var out []dxtypes.Connection
	in := &directconnect.DescribeConnectionsInput{}
	if pageSize > 0 {
		in.MaxResults = aws.Int32(pageSize)
	}
	for {
		page, err := dxClient(cfg, region).DescribeConnections(context.Background(), in)
		require.NoError(t, err)
		out = append(out, page.Connections...)
		if aws.ToString(page.NextToken) == "" {
			return out
		}
		in.NextToken = page.NextToken
	}
}

func TestDirectConnectConnections(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 41, Items: 24, Accounts: 1})
	ctx := context.Background()
	id := b.srv.AccountIDs()[0]
	states := map[dxtypes.ConnectionState]int{}
	hosted := 0
	for _, region := range simRegions {
		all := dxConnections(t, b.cfg, region, 0)
		require.Len(t, all, 8)
		require.Equal(t, all, dxConnections(t, b.cfg, region, 3), "pages of 3 hold the same connections")
		for _, c := range all {
			require.Regexp(t, `^dxcon-[a-z0-9]{8}$`, aws.ToString(c.ConnectionId))
			require.Regexp(t, `^sim-dx-\d+$`, aws.ToString(c.ConnectionName))
			require.Equal(t, region, aws.ToString(c.Region))
			require.Equal(t, id, aws.ToString(c.OwnerAccount))
			require.NotEmpty(t, aws.ToString(c.Location))
			require.NotEmpty(t, aws.ToString(c.Bandwidth))
			require.Positive(t, c.Vlan)
			require.Len(t, c.Tags, 1)
			states[c.ConnectionState]++
			if aws.ToString(c.PartnerName) != "" {
				hosted++
			}
		}
		one, err := dxClient(b.cfg, region).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: all[1].ConnectionId})
		require.NoError(t, err)
		require.Equal(t, all[1:2], one.Connections)
	}
	require.Equal(t, map[dxtypes.ConnectionState]int{"available": 12, "down": 6, "ordering": 6}, states)
	require.Equal(t, 8, hosted)

	_, err := dxClient(b.cfg, "us-east-1").DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{ConnectionId: aws.String("dxcon-nope")})
	require.Equal(t, "DirectConnectClientException", apiCode(t, err))
	_, err = dxClient(b.cfg, "us-east-1").DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{NextToken: aws.String("junk")})
	require.Equal(t, "DirectConnectClientException", apiCode(t, err))
	_, err = dxClient(b.cfg, "af-south-1").DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	require.Equal(t, "UnrecognizedClientException", apiCode(t, err))

	before := dxConnections(t, b.cfg, "us-east-1", 0)
	arns, err := b.srv.Mutate(id, "connection", 1)
	require.NoError(t, err)
	require.Equal(t, "arn:aws:directconnect:us-east-1:"+id+":dxcon/"+aws.ToString(before[0].ConnectionId), arns[0])
	require.Equal(t, before[0].Vlan+1, dxConnections(t, b.cfg, "us-east-1", 0)[0].Vlan)
	_, err = b.srv.Delete(id, "connection", 1)
	require.NoError(t, err)
	require.Len(t, dxConnections(t, b.cfg, "eu-west-1", 0), 7)
	_, err = b.srv.Create(id, "connection", 1)
	require.NoError(t, err)
	require.Len(t, dxConnections(t, b.cfg, "us-east-1", 0), 9)
}
