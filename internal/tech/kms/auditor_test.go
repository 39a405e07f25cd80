package kms_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/kms"
)

var _ = audittest.DefineUpdateFlag()

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, kms.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	audittest.ResourcePolicy(t, kms.NewAuditor(), kms.Technology.Singular, func(p string) string {
		return `{"Arn":"arn:aws:kms:us-east-1:111122223333:key/k","KeyRotationEnabled":true,"Policies":[{"Statement":[]},` + p + `]}`
	})
	for _, tc := range []struct {
		name, cfg string
		want      []audittest.Issue
	}{
		{"rotation on", `{"KeyRotationEnabled":true}`, nil},
		{"rotation off", `{"KeyRotationEnabled":false}`, []audittest.Issue{audittest.N("KMS key is not configured for rotation.", 1)}},
		{"rotation null", `{"KeyRotationEnabled":null}`, []audittest.Issue{audittest.N("KMS key is not configured for rotation.", 1)}},
		{"access-denied stub", `{"Error":"Unauthorized","Arn":"a","Policies":[],"Grants":[],"Aliases":[]}`,
			[]audittest.Issue{audittest.N("KMS key is not configured for rotation.", 1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := kms.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: audittest.Context(t), Only: map[string]bool{"kms.for_kms_key_rotation": true}})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}
