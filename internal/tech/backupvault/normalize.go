package backupvault

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored shape of docs/technologies.md: the vault's
// list entry passed through (dates ISO-Z), Arn and the parsed access
// policy (null when none).
func normalize(v *types.BackupVaultListMember, policy *string) (monkey.Config, error) {
	cfg, _ := awsclient.Passthrough(v).(map[string]any)
	cfg["Arn"] = aws.ToString(v.BackupVaultArn)
	doc, err := awsclient.PolicyDocumentPtr(policy)
	if err != nil {
		return nil, fmt.Errorf("vault access policy: %w", err)
	}
	cfg["Policy"] = doc
	return cfg, nil
}
