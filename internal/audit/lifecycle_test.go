package audit_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
)

func TestReconcile(t *testing.T) {
	t.Parallel()
	const class = "S3Auditor"
	iss := func(id int64, cls, text string, notes *string, score int, fixed bool, links ...int64) monkey.Issue {
		return monkey.Issue{ID: id, AuditorClass: cls, Text: text, Notes: notes, Score: score, Fixed: fixed,
			Justified: true, Justification: "ok", LinkedItemIDs: links}
	}
	f := func(text string, notes *string, score int, links ...int64) audit.Finding {
		return audit.Finding{Text: text, Notes: notes, Score: score, LinkedItemIDs: links}
	}
	for _, tc := range []struct {
		name   string
		stored []monkey.Issue
		found  []audit.Finding
		want   audit.Reconciliation
	}{
		{name: "nothing"},
		{name: "new", found: []audit.Finding{f("A", nil, 1)}, want: audit.Reconciliation{Create: []audit.Finding{f("A", nil, 1)}}},
		{name: "existing unchanged", stored: []monkey.Issue{iss(1, class, "A", nil, 1, false)}, found: []audit.Finding{f("A", nil, 1)}},
		{name: "regression", stored: []monkey.Issue{iss(1, class, "A", audit.Str("n"), 1, true)}, found: []audit.Finding{f("A", audit.Str("n"), 1)},
			want: audit.Reconciliation{Reopen: []int64{1}}},
		{name: "fixed", stored: []monkey.Issue{iss(1, class, "A", nil, 1, false), iss(2, class, "B", nil, 1, true)},
			want: audit.Reconciliation{Fix: []int64{1}}},
		{name: "null notes differ from empty", stored: []monkey.Issue{iss(1, class, "A", nil, 1, false)}, found: []audit.Finding{f("A", audit.Str(""), 1)},
			want: audit.Reconciliation{Create: []audit.Finding{f("A", audit.Str(""), 1)}, Fix: []int64{1}}},
		{name: "score change", stored: []monkey.Issue{iss(1, class, "A", nil, 1, false)}, found: []audit.Finding{f("A", nil, 2)},
			want: audit.Reconciliation{Create: []audit.Finding{f("A", nil, 2)}, Fix: []int64{1}}},
		{name: "other class untouched", stored: []monkey.Issue{iss(1, "IAMRoleAuditor", "A", nil, 1, false)}, found: []audit.Finding{f("A", nil, 1)},
			want: audit.Reconciliation{Create: []audit.Finding{f("A", nil, 1)}}},
		{name: "null class fixed", stored: []monkey.Issue{iss(1, "", "A", nil, 1, false), iss(2, "", "A", nil, 1, true)}, found: []audit.Finding{f("A", nil, 1)},
			want: audit.Reconciliation{Create: []audit.Finding{f("A", nil, 1)}, Fix: []int64{1}}},
		{name: "links updated, key unchanged", stored: []monkey.Issue{iss(1, class, "A", nil, 10, false, 5), iss(2, class, "B", nil, 10, true, 7, 6)},
			found: []audit.Finding{f("A", nil, 10, 5, 6), f("B", nil, 10, 6, 7)},
			want:  audit.Reconciliation{Reopen: []int64{2}, Links: map[int64][]int64{1: {5, 6}}}},
		{name: "duplicate findings collapse", found: []audit.Finding{f("A", nil, 1), f("A", nil, 1)},
			want: audit.Reconciliation{Create: []audit.Finding{f("A", nil, 1)}}},
	} {
		got := audit.Reconcile(class, tc.stored, tc.found)
		require.Equal(t, tc.want, got, tc.name)
		require.Equal(t, tc.want.Empty(), got.Empty(), tc.name)
	}
}

type fake struct {
	tech, class string
	support     []string
}

func (f fake) Technology() string { return f.tech }
func (f fake) Class() string      { return f.class }
func (f fake) Checks() []audit.CheckInfo {
	return []audit.CheckInfo{{ID: f.tech + ".x", Method: "check_x", Class: f.class}}
}
func (f fake) Support() []string                            { return f.support }
func (f fake) TimeDependent() bool                          { return false }
func (f fake) Audit(audit.Item, *audit.Env) []audit.Finding { return nil }

func TestRegistry(t *testing.T) {
	t.Parallel()
	g := audit.NewRegistry()
	require.NoError(t, g.Register(fake{"securitygroup", "SecurityGroupAuditor", nil}))
	require.NoError(t, g.Register(fake{"elb", "ELBAuditor", []string{"securitygroup"}}))
	require.NoError(t, g.Register(fake{"alb", "ELBv2Auditor", []string{"securitygroup"}}))
	require.NoError(t, g.Register(fake{"policy", "ManagedPolicyAuditor", nil}))
	require.NoError(t, g.Register(fake{"iamrole", "IAMRoleAuditor", []string{"policy"}}))
	require.NoError(t, g.Register(fake{"x", "XAuditor", []string{"elb"}}))
	require.NoError(t, g.Register(fake{"a", "AAuditor", []string{"x", "securitygroup"}}))
	require.NoError(t, g.Register(fake{"elb", "ELBPluginAuditor", nil}), "several auditors per tech")

	require.ErrorContains(t, g.Register(fake{"elb", "ELBAuditor", nil}), "already has this class")
	require.ErrorContains(t, g.Register(fake{"s3", "ELBAuditor", nil}), "class already registered")
	require.Error(t, g.Register(fake{"", "Z", nil}))
	require.ErrorContains(t, g.Register(fake{"securitygroup", "SGPlugin", []string{"a"}}), "cycle")
	require.ErrorContains(t, g.Register(fake{"self", "SelfAuditor", []string{"self"}}), "cycle")
	require.NoError(t, g.Validate())
	_, ok := g.Get("self")
	require.False(t, ok, "failed registration rolled back")
	require.Len(t, g.For("securitygroup"), 1)

	require.Equal(t, []string{"alb", "elb", "x", "a"}, g.Dependents("securitygroup"))
	require.Equal(t, []string{"iamrole"}, g.Dependents("policy"))
	require.Empty(t, g.Dependents("a"))
	require.Len(t, g.For("elb"), 2)
	a, ok := g.Get("elb")
	require.True(t, ok)
	require.Equal(t, "ELBAuditor", a.Class())
	checks := g.Checks()
	require.Len(t, checks, 8)
	require.Equal(t, "a.x", checks[0].ID)
	require.Equal(t, []string{"a", "alb", "elb", "iamrole", "policy", "securitygroup", "x"}, g.Technologies())
}

func TestListenerMatches(t *testing.T) {
	t.Parallel()
	l := audit.Listeners{}
	l.Add("TCP", 22)
	l.Add("TCP", 443)
	l.Add("SSL", 8443)
	l.Add("UDP", -5)
	for _, tc := range []struct {
		notes *string
		want  bool
	}{
		{nil, false},
		{audit.Str("garbage"), false},
		{audit.Str("Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]"), true},
		{audit.Str("Entity: [cidr:0.0.0.0/0] Access: [egress:tcp:22]"), false},
		{audit.Str("Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:23]"), false},
		{audit.Str("Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:1-100]"), true},
		{audit.Str("Entity: [cidr:0.0.0.0/0] Access: [ingress:all_protocols:all_ports]"), true},
		{audit.Str("Entity: [cidr:0.0.0.0/0] Access: [ingress:icmp:-1]"), false},
		{audit.Str("Entity: [cidr:0.0.0.0/0] Access: [ingress:ssl:8443]"), true},
		{audit.Str("Entity: [cidr:0.0.0.0/0] Access: [ingress:udp:-10--1]"), true},
		{audit.Str("Account: [1/x] Entity: [cidr:::/0] Access: [ingress:tcp:440-450]"), true},
		{audit.Str("Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:None]"), false},
	} {
		require.Equal(t, tc.want, audit.ListenerMatches(tc.notes, l), "%v", tc.notes)
	}
}

func TestLinking(t *testing.T) {
	t.Parallel()
	n22 := audit.Str("Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:22]")
	n80 := audit.Str("Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:80]")
	sg1 := audit.Item{ID: 11, Config: monkey.Config{"id": "sg-1"}, Issues: []monkey.Issue{
		{Text: "Internet Accessible", Score: 10, Notes: n22},
		{Text: "Internet Accessible", Score: 10, Notes: n80},
		{Text: "Internet Accessible", Score: 10, Notes: n80, Fixed: true},
		{Text: "Unknown Access", Score: 10, Notes: audit.Str("Entity: [cidr:203.0.113.0/24] Access: [ingress:tcp:22]")},
	}}
	sg2 := audit.Item{ID: 12, Config: monkey.Config{"id": "sg-2"}, Issues: []monkey.Issue{
		{Text: "Internet Accessible", Score: 0, Notes: n22},
	}}
	sg3 := audit.Item{ID: 13, Config: monkey.Config{"id": "sg-3"}, Issues: []monkey.Issue{
		{Text: "Internet Accessible", Score: 10, Notes: n22},
	}}
	// A closed rule: its fixed issue matches the listener but links nothing,
	// not even the group's open issues of the same text.
	sg4 := audit.Item{ID: 14, Config: monkey.Config{"id": "sg-4"}, Issues: []monkey.Issue{
		{Text: "Internet Accessible", Score: 10, Notes: n22, Fixed: true},
		{Text: "Internet Accessible", Score: 10, Notes: audit.Str("Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports]")},
	}}
	env := &audit.Env{Support: map[string][]audit.Item{"securitygroup": {sg1, sg2, sg3, sg4}}}
	l := audit.Listeners{}
	l.Add("TCP", 22)
	fs := probe(t, env, func(r *audit.Run) { securitygroup.LinkListenerIssues(r, []string{"sg-1", "sg-2", "sg-4"}, l) })
	require.Equal(t, []audit.Finding{
		{Text: "Internet Accessible", Score: 10, LinkedItemIDs: []int64{11}},
		{Text: "Unknown Access", Score: 10, LinkedItemIDs: []int64{11}},
		{Text: "Internet Accessible", Score: 0, LinkedItemIDs: []int64{12}},
	}, fs)

	// link_to_support_item_issues with an existing issue: explicit score
	// replaces, no score sums (capped).
	fs = probe(t, env, func(r *audit.Run) {
		i := r.LinkSupportItemIssues(sg1, "Internet Accessible", "Linked", -1, 0)
		require.Equal(t, 0, i)
		r.LinkSupportItemIssues(sg3, "", "", i, 0)
		j := r.LinkSupportItemIssues(sg1, "Nope", "", -1, 5)
		require.Equal(t, -1, j)
		k := r.LinkSupportItem(3, "Watcher link", sg2, -1)
		require.Equal(t, k, r.LinkSupportItem(3, "ignored", sg3, k))
	})
	require.Equal(t, []audit.Finding{
		{Text: "Linked", Score: 30, LinkedItemIDs: []int64{11, 13}},
		{Text: "Watcher link", Score: 3, LinkedItemIDs: []int64{12, 13}},
	}, fs)
	big := audit.Item{ID: 1, Issues: []monkey.Issue{{Text: "X", Score: 900000}, {Text: "X", Score: 900000}}}
	fs = probe(t, nil, func(r *audit.Run) { r.LinkSupportItemIssues(big, "", "", -1, 0) })
	require.Equal(t, 999999, fs[0].Score)
	require.Equal(t, "UNDEFINED", fs[0].Text)
	fs = probe(t, nil, func(r *audit.Run) {
		r.LinkSupportItemIssues(audit.Item{ID: 2, Issues: []monkey.Issue{{Text: "Y", Score: 1}}}, "", "", -1, 0)
	})
	require.Equal(t, "UNDEFINED", fs[0].Text, "no texts given")
}
