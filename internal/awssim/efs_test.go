package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	efstypes "github.com/aws/aws-sdk-go-v2/service/efs/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestEFS(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 39, Accounts: 2, ItemsPer: map[string]int{"efs": 36}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	var first string
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := efs.NewFromConfig(b.cfg, func(o *efs.Options) { o.Region = region })
		var fss []efstypes.FileSystemDescription
		p := efs.NewDescribeFileSystemsPaginator(client, &efs.DescribeFileSystemsInput{MaxItems: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			fss = append(fss, page.FileSystems...)
		}
		require.Len(t, fss, 12)
		if first == "" {
			first = aws.ToString(fss[0].FileSystemId)
		}
		for _, fs := range fss {
			require.NotNil(t, fs.SizeInBytes)
			require.NotNil(t, fs.CreationTime)
			out, err := client.DescribeFileSystemPolicy(ctx, &efs.DescribeFileSystemPolicyInput{FileSystemId: fs.FileSystemId})
			if err != nil {
				var nf *efstypes.PolicyNotFound
				require.ErrorAs(t, err, &nf)
				policies = append(policies, "")
				continue
			}
			policies = append(policies, aws.ToString(out.Policy))
		}
	}
	requireFlavours(t, policies, true)
	_, err := b.srv.Mutate(acct, "efs", 1)
	require.NoError(t, err)
	client := efs.NewFromConfig(b.cfg)
	out, err := client.DescribeFileSystemPolicy(ctx, &efs.DescribeFileSystemPolicyInput{FileSystemId: aws.String(first)})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(out.Policy), "sim-mutation-1")
	_, err = client.DescribeFileSystemPolicy(ctx, &efs.DescribeFileSystemPolicyInput{FileSystemId: aws.String("fs-nosuch")})
	var nf *efstypes.FileSystemNotFound
	require.ErrorAs(t, err, &nf)
}
