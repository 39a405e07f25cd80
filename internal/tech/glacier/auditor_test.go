package glacier_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/glacier"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, glacier.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	audittest.ResourcePolicy(t, glacier.NewAuditor(), glacier.Technology.Singular, func(p string) string {
		return `{"VaultName":"v","Arn":"arn:aws:glacier:us-east-1:111122223333:vaults/v","Policy":` + p + `,"Tags":{}}`
	})
}
