package awssim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	backuptypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/awssim"
)

func TestBackup(t *testing.T) {
	t.Parallel()
	b := setup(t, awssim.Options{Seed: 42, Accounts: 2, ItemsPer: map[string]int{"backupvault": 36}})
	ctx := context.Background()
	acct := b.srv.AccountIDs()[0]
	var policies []string
	locked := 0
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1"} {
		client := backup.NewFromConfig(b.cfg, func(o *backup.Options) { o.Region = region })
		var vaults []backuptypes.BackupVaultListMember
		p := backup.NewListBackupVaultsPaginator(client, &backup.ListBackupVaultsInput{MaxResults: aws.Int32(5)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			vaults = append(vaults, page.BackupVaultList...)
		}
		require.Len(t, vaults, 12)
		for _, v := range vaults {
			require.NotNil(t, v.CreationDate)
			if aws.ToBool(v.Locked) {
				locked++
			}
			out, err := client.GetBackupVaultAccessPolicy(ctx, &backup.GetBackupVaultAccessPolicyInput{BackupVaultName: v.BackupVaultName})
			if err != nil {
				var nf *backuptypes.ResourceNotFoundException
				require.ErrorAs(t, err, &nf)
				policies = append(policies, "")
				continue
			}
			require.Equal(t, aws.ToString(v.BackupVaultArn), aws.ToString(out.BackupVaultArn))
			policies = append(policies, aws.ToString(out.Policy))
		}
	}
	requireFlavours(t, policies, true)
	require.Equal(t, 9, locked)
	_, err := b.srv.Mutate(acct, "backupvault", 1)
	require.NoError(t, err)
	out, err := backup.NewFromConfig(b.cfg).GetBackupVaultAccessPolicy(ctx, &backup.GetBackupVaultAccessPolicyInput{BackupVaultName: aws.String("sim-backup-0")})
	require.NoError(t, err)
	require.Contains(t, aws.ToString(out.Policy), "sim-mutation-1")
}
