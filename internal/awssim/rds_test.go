package awssim_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func rdsClient(cfg aws.Config, region string) *rds.Client {
	return rds.NewFromConfig(cfg, func(o *rds.Options) { o.Region = region })
}

// sgIDs lists the security groups of an account by region.
func sgIDs(t *testing.T, cfg aws.Config) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	for _, region := range simRegions {
		out[region] = map[string]bool{}
		res, err := regionClient(cfg, region).DescribeSecurityGroups(context.Background(), &ec2.DescribeSecurityGroupsInput{})
		require.NoError(t, err)
		for _, g := range res.SecurityGroups {
			out[region][aws.ToString(g.GroupId)] = true
		}
	}
	return out
}

func TestRDSDBInstancesAndClusters(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 4, Items: 75})
	ctx := context.Background()
	id := b.srv.AccountIDs()[1]
	cfg := b.assumed(id)
	groups := sgIDs(t, cfg)

	total, pages := 0, 0
	var public, linked, classic, member bool
	for _, region := range simRegions {
		p := rds.NewDescribeDBInstancesPaginator(rdsClient(cfg, region), &rds.DescribeDBInstancesInput{MaxRecords: aws.Int32(20)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			require.NoError(t, err)
			pages++
			for _, db := range out.DBInstances {
				total++
				name := aws.ToString(db.DBInstanceIdentifier)
				require.Equal(t, "arn:aws:rds:"+region+":"+id+":db:"+name, aws.ToString(db.DBInstanceArn))
				require.NotNil(t, db.Endpoint)
				require.Positive(t, aws.ToInt32(db.Endpoint.Port))
				require.NotNil(t, db.InstanceCreateTime)
				require.NotEmpty(t, db.DBParameterGroups)
				require.NotEmpty(t, db.OptionGroupMemberships)
				public = public || aws.ToBool(db.PubliclyAccessible)
				for _, g := range db.VpcSecurityGroups {
					require.True(t, groups[region][aws.ToString(g.VpcSecurityGroupId)], "%s uses a group of its region", name)
					linked = linked || aws.ToBool(db.PubliclyAccessible) && aws.ToInt32(db.Endpoint.Port) == 3306 && strings.Contains(name, "public-mysql")
				}
				if len(db.DBSecurityGroups) > 0 {
					classic = true
					require.Nil(t, db.DBSubnetGroup)
				} else {
					require.NotNil(t, db.DBSubnetGroup)
					require.Len(t, db.DBSubnetGroup.Subnets, 2)
					require.NotEmpty(t, aws.ToString(db.DBSubnetGroup.Subnets[0].SubnetAvailabilityZone.Name))
				}
				member = member || db.DBClusterIdentifier != nil
			}
		}
	}
	require.Equal(t, 75, total)
	require.Equal(t, 6, pages, "25 per region, 20 per page")
	require.True(t, public && linked && classic && member)

	total = 0
	var writer bool
	for _, region := range simRegions {
		out, err := rdsClient(cfg, region).DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{})
		require.NoError(t, err)
		for _, c := range out.DBClusters {
			total++
			require.Equal(t, "arn:aws:rds:"+region+":"+id+":cluster:"+aws.ToString(c.DBClusterIdentifier), aws.ToString(c.DBClusterArn))
			require.Len(t, c.VpcSecurityGroups, 1)
			require.True(t, groups[region][aws.ToString(c.VpcSecurityGroups[0].VpcSecurityGroupId)])
			require.Len(t, c.AvailabilityZones, 3)
			require.NotNil(t, c.EarliestRestorableTime)
			require.NotEmpty(t, aws.ToString(c.HostedZoneId))
			require.NotEmpty(t, aws.ToString(c.DbClusterResourceId))
			writer = writer || len(c.DBClusterMembers) == 1 && aws.ToBool(c.DBClusterMembers[0].IsClusterWriter)
		}
	}
	require.Equal(t, 75, total)
	require.True(t, writer)

	_, err := rdsClient(cfg, "us-east-1").DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{MaxRecords: aws.Int32(5)})
	require.Equal(t, "InvalidParameterValue", apiCode(t, err))
	_, err = rdsClient(cfg, "af-south-1").DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
	require.Equal(t, "InvalidClientTokenId", apiCode(t, err))
}

func TestRDSSecurityGroupsSubnetGroups(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 5, Items: 12})
	ctx := context.Background()
	id := b.srv.AccountIDs()[0]
	cfg := b.assumed(id)
	cidrs := map[string]bool{}
	vpc, groups := 0, 0
	for _, region := range simRegions {
		out, err := rdsClient(cfg, region).DescribeDBSecurityGroups(ctx, &rds.DescribeDBSecurityGroupsInput{})
		require.NoError(t, err)
		for _, g := range out.DBSecurityGroups {
			groups++
			require.Equal(t, id, aws.ToString(g.OwnerId))
			require.Equal(t, "arn:aws:rds:"+region+":"+id+":secgrp:"+aws.ToString(g.DBSecurityGroupName), aws.ToString(g.DBSecurityGroupArn))
			if g.VpcId != nil {
				vpc++
			}
			for _, r := range g.IPRanges {
				require.Equal(t, "authorized", aws.ToString(r.Status))
				cidrs[aws.ToString(r.CIDRIP)] = true
			}
			for _, e := range g.EC2SecurityGroups {
				require.NotEmpty(t, aws.ToString(e.EC2SecurityGroupOwnerId))
			}
		}
	}
	require.Equal(t, 12, groups)
	require.Equal(t, 4, vpc)
	for _, c := range []string{"0.0.0.0/0", "10.0.0.0/8", "172.16.5.0/24", "203.0.113.0/20", "10.1.0.0/16", "192.0.2.0/0", "198.51.100.10/32"} {
		require.True(t, cidrs[c], c)
	}

	noVPC := 0
	for _, region := range simRegions {
		out, err := rdsClient(cfg, region).DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{})
		require.NoError(t, err)
		for _, g := range out.DBSubnetGroups {
			require.Len(t, g.Subnets, 2)
			require.Equal(t, "Active", aws.ToString(g.Subnets[1].SubnetStatus))
			require.Equal(t, region+"b", aws.ToString(g.Subnets[1].SubnetAvailabilityZone.Name))
			require.Equal(t, "arn:aws:rds:"+region+":"+id+":subgrp:"+aws.ToString(g.DBSubnetGroupName), aws.ToString(g.DBSubnetGroupArn))
			if g.VpcId == nil {
				noVPC++
			}
		}
	}
	require.Equal(t, 3, noVPC)
}

func TestRDSSnapshots(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 6, Accounts: 2, Items: 12})
	ctx := context.Background()
	ids := b.srv.AccountIDs()
	cfg := b.assumed(ids[0])
	shares := map[string]bool{}
	types := map[string]int{}
	for _, region := range simRegions {
		c := rdsClient(cfg, region)
		out, err := c.DescribeDBSnapshots(ctx, &rds.DescribeDBSnapshotsInput{})
		require.NoError(t, err)
		for _, sn := range out.DBSnapshots {
			name := aws.ToString(sn.DBSnapshotIdentifier)
			types[aws.ToString(sn.SnapshotType)]++
			require.Equal(t, "arn:aws:rds:"+region+":"+ids[0]+":snapshot:"+name, aws.ToString(sn.DBSnapshotArn))
			require.NotNil(t, sn.SnapshotCreateTime)
			attrs, err := c.DescribeDBSnapshotAttributes(ctx, &rds.DescribeDBSnapshotAttributesInput{DBSnapshotIdentifier: sn.DBSnapshotIdentifier})
			require.NoError(t, err)
			res := attrs.DBSnapshotAttributesResult
			require.Equal(t, name, aws.ToString(res.DBSnapshotIdentifier))
			require.Len(t, res.DBSnapshotAttributes, 1)
			require.Equal(t, "restore", aws.ToString(res.DBSnapshotAttributes[0].AttributeName))
			for _, v := range res.DBSnapshotAttributes[0].AttributeValues {
				shares[v] = true
			}
		}
		_, err = c.DescribeDBSnapshotAttributes(ctx, &rds.DescribeDBSnapshotAttributesInput{DBSnapshotIdentifier: aws.String("sim-snap-public-99")})
		require.Equal(t, "DBSnapshotNotFound", apiCode(t, err))
	}
	require.Equal(t, map[string]int{"automated": 2, "manual": 10}, types)
	require.Equal(t, map[string]bool{"all": true, ids[1]: true, "444455556666": true, "127311923021": true}, shares)

	total := 0
	for _, region := range simRegions {
		out, err := rdsClient(cfg, region).DescribeDBClusterSnapshots(ctx, &rds.DescribeDBClusterSnapshotsInput{})
		require.NoError(t, err)
		for _, sn := range out.DBClusterSnapshots {
			total++
			require.Len(t, sn.AvailabilityZones, 3)
			require.NotNil(t, sn.ClusterCreateTime)
			require.Equal(t, int32(100), aws.ToInt32(sn.PercentProgress))
		}
	}
	require.Equal(t, 12, total)
}

// TestRDSChanges: a mutation, a deletion and a creation of every RDS
// technology show in the next reply.
func TestRDSChanges(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 8, Items: 4})
	ctx := context.Background()
	id := b.srv.AccountIDs()[0]
	c := rdsClient(b.cfg, "us-east-1")    // indices 0 and 3 live in us-east-1
	type listing func() map[string]string // name → the field mutations change
	lists := map[string]listing{
		"rdsdbinstance": func() map[string]string {
			out, err := c.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
			require.NoError(t, err)
			m := map[string]string{}
			for _, d := range out.DBInstances {
				m[aws.ToString(d.DBInstanceArn)] = strconv.Itoa(int(aws.ToInt32(d.AllocatedStorage)))
			}
			return m
		},
		"rdsdbcluster": func() map[string]string {
			out, err := c.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{})
			require.NoError(t, err)
			m := map[string]string{}
			for _, d := range out.DBClusters {
				m[aws.ToString(d.DBClusterArn)] = strconv.Itoa(int(aws.ToInt32(d.BackupRetentionPeriod)))
			}
			return m
		},
		"rdssecuritygroup": func() map[string]string {
			out, err := c.DescribeDBSecurityGroups(ctx, &rds.DescribeDBSecurityGroupsInput{})
			require.NoError(t, err)
			m := map[string]string{}
			for _, d := range out.DBSecurityGroups {
				var r []string
				for _, x := range d.IPRanges {
					r = append(r, aws.ToString(x.CIDRIP))
				}
				m[aws.ToString(d.DBSecurityGroupArn)] = strings.Join(r, ",")
			}
			return m
		},
		"rdssnapshot": func() map[string]string {
			out, err := c.DescribeDBSnapshots(ctx, &rds.DescribeDBSnapshotsInput{})
			require.NoError(t, err)
			m := map[string]string{}
			for _, d := range out.DBSnapshots {
				m[aws.ToString(d.DBSnapshotArn)] = strconv.Itoa(int(aws.ToInt32(d.AllocatedStorage)))
			}
			return m
		},
		"rdsclustersnapshot": func() map[string]string {
			out, err := c.DescribeDBClusterSnapshots(ctx, &rds.DescribeDBClusterSnapshotsInput{})
			require.NoError(t, err)
			m := map[string]string{}
			for _, d := range out.DBClusterSnapshots {
				m[aws.ToString(d.DBClusterSnapshotArn)] = strconv.Itoa(int(aws.ToInt32(d.AllocatedStorage)))
			}
			return m
		},
		"rdssubnetgroup": func() map[string]string {
			out, err := c.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{})
			require.NoError(t, err)
			m := map[string]string{}
			for _, d := range out.DBSubnetGroups {
				m[aws.ToString(d.DBSubnetGroupArn)] = aws.ToString(d.DBSubnetGroupDescription)
			}
			return m
		},
	}
	for tech, list := range lists {
		before := list()
		require.Len(t, before, 2, tech)
		mutated, err := b.srv.Mutate(id, tech, 1)
		require.NoError(t, err)
		after := list()
		require.Contains(t, after, mutated[0], tech)
		require.NotEqual(t, before[mutated[0]], after[mutated[0]], tech)
		deleted, err := b.srv.Delete(id, tech, 1) // index 3, us-east-1
		require.NoError(t, err)
		require.NotContains(t, list(), deleted[0], tech)
		_, err = b.srv.Create(id, tech, 3) // 4, 5, 6: one in us-east-1
		require.NoError(t, err)
		require.Len(t, list(), 2, tech)
	}
}
