package sqs_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/sqs"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, sqs.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	t.Run("Attributes$Policy", func(t *testing.T) {
		t.Parallel()
		audittest.ResourcePolicy(t, sqs.NewAuditor(), sqs.Technology.Singular, func(p string) string {
			return `{"Arn":"arn:aws:sqs:us-east-1:111122223333:q","Name":"q","Attributes":{"QueueArn":"x","Policy":` + p + `},"Tags":[]}`
		})
	})
	t.Run("legacy Policy", func(t *testing.T) {
		t.Parallel()
		audittest.ResourcePolicy(t, sqs.NewAuditor(), sqs.Technology.Singular, func(p string) string {
			return `{"Name":"q","Policy":` + p + `}`
		})
	})
}
