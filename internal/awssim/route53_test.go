package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestRoute53(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 65, Accounts: 2, ItemsPer: map[string]int{"route53": 35}})
	ctx := context.Background()
	id := b.srv.AccountIDs()[1]
	c := route53.NewFromConfig(b.assumed(id))
	var zones []r53types.HostedZone
	pages := 0
	zp := route53.NewListHostedZonesPaginator(c, &route53.ListHostedZonesInput{MaxItems: aws.Int32(3)})
	for zp.HasMorePages() {
		out, err := zp.NextPage(ctx)
		require.NoError(t, err)
		pages++
		zones = append(zones, out.HostedZones...)
	}
	require.Len(t, zones, 4, "35 record sets, 10 a zone")
	require.Equal(t, 2, pages)
	require.Nil(t, zones[3].Config, "zone 3 has no Config")
	require.True(t, zones[1].Config.PrivateZone)
	types := map[r53types.RRType]int{}
	total, aliases := 0, 0
	for _, z := range zones {
		rp := route53.NewListResourceRecordSetsPaginator(c, &route53.ListResourceRecordSetsInput{HostedZoneId: z.Id, MaxItems: aws.Int32(4)})
		n := 0
		for rp.HasMorePages() {
			out, err := rp.NextPage(ctx)
			require.NoError(t, err)
			for _, r := range out.ResourceRecordSets {
				n++
				types[r.Type]++
				if r.AliasTarget != nil {
					aliases++
					require.Nil(t, r.TTL)
				}
			}
		}
		require.Equal(t, int(aws.ToInt64(z.ResourceRecordSetCount)), n)
		total += n
	}
	require.Equal(t, 35, total)
	require.Equal(t, 6, aliases)
	require.Equal(t, map[r53types.RRType]int{"A": 18, "CNAME": 6, "TXT": 6, "MX": 5}, types)

	_, err := b.srv.Mutate(id, "route53", 3) // record sets 0, 1, 2
	require.NoError(t, err)
	out, err := c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: zones[0].Id, MaxItems: aws.Int32(4)})
	require.NoError(t, err)
	require.Equal(t, int64(360), aws.ToInt64(out.ResourceRecordSets[0].TTL))

	_, err = b.srv.Delete(id, "route53", 5) // record sets 30..34: zone 3 goes away
	require.NoError(t, err)
	_, err = c.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: zones[3].Id})
	var nz *r53types.NoSuchHostedZone
	require.ErrorAs(t, err, &nz)
	all, err := c.ListHostedZones(ctx, &route53.ListHostedZonesInput{})
	require.NoError(t, err)
	require.Len(t, all.HostedZones, 3)
}
