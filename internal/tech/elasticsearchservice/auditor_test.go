package elasticsearchservice_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/elasticsearchservice"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, elasticsearchservice.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	audittest.ResourcePolicy(t, elasticsearchservice.NewAuditor(), elasticsearchservice.Technology.Singular, func(p string) string {
		return `{"arn":"arn:aws:es:us-east-1:111122223333:domain/d","name":"d","policy":` + p + `}`
	})
}
