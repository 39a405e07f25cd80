package codeartifactrepository_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/codeartifactrepository"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, codeartifactrepository.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	audittest.ResourcePolicy(t, codeartifactrepository.NewAuditor(), codeartifactrepository.Technology.Singular, func(p string) string {
		return `{"Arn":"arn:aws:x:us-east-1:111122223333:thing","Policy":` + p + `}`
	})
}
