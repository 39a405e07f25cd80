package sns_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/tech/sns"
)

var _ = audittest.DefineUpdateFlag()

var I, N = audittest.I, audittest.N

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, sns.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	audittest.ResourcePolicy(t, sns.NewAuditor(), sns.Technology.Singular, func(p string) string {
		return `{"arn":"arn:aws:sns:us-east-1:111122223333:t","name":"t","policy":` + p + `,"subscriptions":[]}`
	})
	sub := func(owner string) string {
		return `{"policy":{},"subscriptions":[{"Owner":"` + owner + `","Protocol":"https","Endpoint":"https://x.example.com/h","TopicArn":"t"}]}`
	}
	for _, tc := range []struct {
		name, check, cfg string
		want             []audittest.Issue
	}{
		{"policy empty", "snstopicpolicy_empty", `{"policy":{}}`, []audittest.Issue{N("SNS Topic Policy is empty", 1)}},
		{"policy absent", "snstopicpolicy_empty", `{"name":"t"}`, []audittest.Issue{N("SNS Topic Policy is empty", 1)}},
		{"policy present", "snstopicpolicy_empty", `{"policy":{"Statement":[]}}`, nil},
		{"subscription of an unknown account", "subscriptions_crossaccount", sub("210987654321"),
			[]audittest.Issue{I("Unknown Access", 10, `Account: [210987654321/UNKNOWN] Entity: [https:https://x.example.com/h] Actions: ["subscription"]`)}},
		{"subscription of a friendly account", "subscriptions_crossaccount", sub("444455556666"),
			[]audittest.Issue{I("Friendly Cross Account", 0, `Account: [444455556666/partner] Entity: [https:https://x.example.com/h] Actions: ["subscription"]`)}},
		{"subscription of a third party", "subscriptions_crossaccount", sub("999988887777"),
			[]audittest.Issue{I("Thirdparty Cross Account", 0, `Account: [999988887777/vendor] Entity: [https:https://x.example.com/h] Actions: ["subscription"]`)}},
		{"subscription of the own account", "subscriptions_crossaccount", sub("111122223333"), nil},
		{"no subscriptions", "subscriptions_crossaccount", `{"subscriptions":[]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := sns.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: audittest.Context(t), Only: map[string]bool{"sns." + tc.check: true}})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}
