package lambda_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/lambda"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, lambda.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	for name, wrap := range map[string]func(string) string{
		"DEFAULT": func(p string) string { return `{"Policy":{"DEFAULT":` + p + `,"Aliases":{},"Versions":{}}}` },
		"alias":   func(p string) string { return `{"Policy":{"DEFAULT":{},"Aliases":{"live":` + p + `},"Versions":{}}}` },
		"version": func(p string) string { return `{"Policy":{"DEFAULT":{},"Aliases":{},"Versions":{"3":` + p + `}}}` },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			audittest.ResourcePolicy(t, lambda.NewAuditor(), lambda.Technology.Singular, wrap)
		})
	}
}
