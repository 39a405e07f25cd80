package backupvault_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/backupvault"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, backupvault.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	audittest.ResourcePolicy(t, backupvault.NewAuditor(), backupvault.Technology.Singular, func(p string) string {
		return `{"Arn":"arn:aws:x:us-east-1:111122223333:thing","Policy":` + p + `}`
	})
}
