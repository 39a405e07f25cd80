package audit_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
)

// TestRunFileSupportItems: the supporting items of an audit-file context
// reach a listener-linked check with their issues.
func TestRunFileSupportItems(t *testing.T) {
	t.Parallel()
	reg := audit.NewRegistry()
	require.NoError(t, reg.Register(audit.NewChecker("lb", "LBAuditor", []string{"securitygroup"}, false,
		audit.Check{Method: "check_linked", Run: func(r *audit.Run) {
			l := audit.Listeners{}
			l.Add("TCP", 443)
			securitygroup.LinkListenerIssues(r, []string{"sg-1", "sg-2"}, l)
		}})))
	notes := func(s string) *string { return &s }
	in := audit.ContextInput{AccountNumber: "111122223333", AccountName: "prod",
		SupportItems: map[string][]audit.SupportItemInput{"securitygroup": {
			{Name: "web", Region: "us-east-1", Config: monkey.Config{"id": "sg-1"}, Issues: []audit.IssueInput{
				{Issue: "Internet Accessible", Score: 10, Notes: notes("Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:443]")},
				{Issue: "Internet Accessible", Score: 10, Notes: notes("Entity: [cidr:::/0] Access: [ingress:tcp:443]")},
				{Issue: "Unknown Access", Score: 10, Notes: notes("Entity: [cidr:203.0.113.0/24] Access: [ingress:tcp:22]")},
			}},
			{Name: "other", Config: monkey.Config{"id": "sg-9"}, Issues: []audit.IssueInput{
				{Issue: "Unknown Access", Score: 10, Notes: notes("Entity: [cidr:203.0.113.0/24] Access: [ingress:tcp:443]")},
			}},
		}}}
	fs, err := audit.RunFile(reg, "lb", monkey.Config{}, in, nil)
	require.NoError(t, err)
	require.Equal(t, []audit.Finding{{Text: "Internet Accessible", Score: 10, LinkedItemIDs: []int64{1}}}, fs)

	for _, tc := range []struct {
		support map[string][]audit.SupportItemInput
		want    string
	}{
		{map[string][]audit.SupportItemInput{"policy": {{Name: "p", Config: monkey.Config{}}}}, "lb reads no policy items (it reads: securitygroup)"},
		{map[string][]audit.SupportItemInput{"securitygroup": {{Name: "web"}}}, `support_items.securitygroup[0] ("web"): no config`},
		{map[string][]audit.SupportItemInput{"securitygroup": {{Name: "web", Config: monkey.Config{}, Issues: []audit.IssueInput{{Score: 1}}}}},
			"support_items.securitygroup[0].issues[0]: no issue text"},
	} {
		_, err := audit.RunFile(reg, "lb", monkey.Config{}, audit.ContextInput{SupportItems: tc.support}, nil)
		require.ErrorContains(t, err, tc.want)
	}
}
