package audit_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
)

var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

var prod = monkey.Account{Type: "AWS", Identifier: "111122223333", Name: "prod", Notes: "main", Custom: map[string]string{"env": "production"}}

func testContext(t *testing.T) *audit.Context {
	t.Helper()
	ctx, err := audit.ContextFromData(
		[]monkey.Account{
			prod,
			{Identifier: "444455556666", Name: "partner"},
			{Identifier: "999988887777", Name: "vendor", ThirdParty: true},
		},
		[]monkey.NetworkWhitelist{{Name: "office", CIDR: "198.51.100.0/24"}},
		[]monkey.KnownResource{
			{Account: "111122223333", Kind: "cidr", Value: "10.0.0.0/17"},
			{Account: "111122223333", Kind: "cidr", Value: "10.0.128.0/17"},
			{Account: "444455556666", Kind: "cidr", Value: "172.16.0.5"},
			{Account: "444455556666", Kind: "cidr", Value: "2001:db8::/33"},
			{Account: "444455556666", Kind: "cidr", Value: "2001:db8:8000::/33"},
			{Account: "999988887777", Kind: "cidr", Value: "172.16.0.4/30"},
			{Account: "999988887777", Kind: "cidr", Value: "garbage"},
			{Account: "444455556666", Kind: "s3_bucket", Value: "partner-bucket"},
			{Account: "999988887777", Kind: "userid", Value: "AROAVENDOR"},
			{Account: "444455556666", Kind: "vpc", Value: "vpc-1"},
			{Account: "123456789012", Kind: "vpce", Value: "vpce-1"},
		},
		now)
	require.NoError(t, err)
	return ctx
}

// probe runs one ad-hoc check on an item of account prod.
func probe(t *testing.T, env *audit.Env, fn func(r *audit.Run)) []audit.Finding {
	t.Helper()
	a := audit.NewChecker("probe", "ProbeAuditor", nil, false, audit.Check{Method: "check_probe", Run: fn})
	return a.Audit(audit.Item{Account: prod, Technology: "probe", Config: monkey.Config{}}, env)
}

func TestRender(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, `[]`},
		{[]string{"s3:GetObject"}, `["s3:GetObject"]`},
		{[]string{"a", "b"}, `["a", "b"]`},
		{[]string{"q\"b\\s", "n\nr\rt\tb\bf\f", "\x01\x1f"}, `["q\"b\\s", "n\nr\rt\tb\bf\f", "\u0001\u001f"]`},
		{[]string{"é", "€", "😀", "<>&/", "\x7f"}, `["\u00e9", "\u20ac", "\ud83d\ude00", "<>&/", "\u007f"]`},
	} {
		require.Equal(t, tc.want, audit.PyList(tc.in))
	}
}

func TestMergeCIDRs(t *testing.T) {
	t.Parallel()
	p := func(ss ...string) []netip.Prefix {
		var out []netip.Prefix
		for _, s := range ss {
			out = append(out, netip.MustParsePrefix(s))
		}
		return out
	}
	for _, tc := range []struct {
		in, want []netip.Prefix
	}{
		{p("10.0.0.0/17", "10.0.128.0/17"), p("10.0.0.0/16")},
		{p("10.0.0.0/24", "10.0.0.0/16", "10.0.5.7/32"), p("10.0.0.0/16")},
		{p("10.0.1.0/24", "10.0.2.0/24"), p("10.0.1.0/24", "10.0.2.0/24")},
		{p("10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/23"), p("10.0.0.0/22")},
		{p("10.0.0.1/24"), p("10.0.0.0/24")},
		{p("2001:db8::/33", "2001:db8:8000::/33", "10.0.0.0/8"), p("10.0.0.0/8", "2001:db8::/32")},
		{p("0.0.0.0/1", "128.0.0.0/1"), p("0.0.0.0/0")},
		{nil, nil},
	} {
		require.Equal(t, tc.want, audit.MergeCIDRs(tc.in))
	}
}

func TestContextErrors(t *testing.T) {
	t.Parallel()
	_, err := audit.ContextFromData(nil, []monkey.NetworkWhitelist{{Name: "bad", CIDR: "1.2.3.4/99"}}, nil, now)
	require.ErrorContains(t, err, `network whitelist "bad"`)
	_, err = audit.NewContext(audit.ContextInput{KnownResources: []monkey.KnownResource{{Kind: "bogus", Value: "x"}}})
	require.ErrorContains(t, err, "unknown kind")
	ctx, err := audit.NewContext(audit.ContextInput{AccountNumber: "111122223333", AccountName: "prod", Now: &now,
		FriendlyAccounts: []audit.AccountRef{{ID: "444455556666", Name: "partner", S3Name: "p", CanonicalID: "c"}}})
	require.NoError(t, err)
	require.Equal(t, now, ctx.Now())
	info, ok := ctx.Account("444455556666")
	require.True(t, ok)
	require.Equal(t, "p", *info.S3Name)
	require.Len(t, ctx.Accounts(), 2)
}

func TestInspect(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	for _, tc := range []struct {
		cat, value string
		want       audit.Labels
		render     string
		parseErr   bool
	}{
		{"principal", "*", audit.Unknown, "Entity: [principal:*]", false},
		{"principal", "arn:aws:iam::444455556666:root", audit.Friendly, "Account: [444455556666/partner] Entity: [principal:arn:aws:iam::444455556666:root]", false},
		{"principal", "arn:aws:iam::111122223333:role/x", audit.Same, "Account: [111122223333/prod] Entity: [principal:arn:aws:iam::111122223333:role/x]", false},
		{"principal", "arn:aws:iam::999988887777:root", audit.ThirdParty, "Account: [999988887777/vendor] Entity: [principal:arn:aws:iam::999988887777:root]", false},
		{"principal", "arn:aws:iam::555555555555:root", audit.Unknown, "Entity: [principal:arn:aws:iam::555555555555:root]", false},
		{"principal", "444455556666", audit.Friendly, "Account: [444455556666/partner] Entity: [principal:444455556666]", false},
		{"principal", "ec2.amazonaws.com", audit.Unknown, "Entity: [principal:ec2.amazonaws.com]", false},
		{"principal", "not an arn", audit.Unknown, "Entity: [principal:not an arn]", true},
		{"arn", "arn:aws:s3:::partner-bucket", audit.Friendly, "Account: [444455556666/partner] Entity: [arn:arn:aws:s3:::partner-bucket]", false},
		{"arn", "arn:aws:s3:::partner-bucket/*", audit.Unknown, "Entity: [arn:arn:aws:s3:::partner-bucket/*]", false},
		{"account", "000000000000", audit.Same, "Entity: [account:000000000000]", false},
		{"account", "777788889999", audit.Unknown, "Entity: [account:777788889999]", false},
		{"security_group", "444455556666/sg-0aa", audit.Friendly, "Account: [444455556666/partner] Entity: [security_group:sg-0aa]", false},
		{"userid", "AROAVENDOR:session", audit.ThirdParty, "Account: [999988887777/vendor] Entity: [userid:AROAVENDOR:session]", false},
		{"userid", "AROAOTHER:*", audit.Unknown, "Entity: [userid:AROAOTHER:*]", false},
		{"cidr", "10.0.3.0/24", audit.Same, "Account: [111122223333/prod] Entity: [cidr:10.0.3.0/24]", false},
		{"cidr", "10.0.3.7", audit.Same, "Account: [111122223333/prod] Entity: [cidr:10.0.3.7]", false},
		{"cidr", "10.0.0.0/8", audit.Unknown, "Entity: [cidr:10.0.0.0/8]", false},
		{"cidr", "198.51.100.9/32", audit.Same, "Entity: [cidr:198.51.100.9/32]", false},
		{"cidr", "172.16.0.5/32", audit.Friendly | audit.ThirdParty, "Account: [999988887777/vendor] Entity: [cidr:172.16.0.5/32]", false},
		{"cidr", "2001:db8:1::/48", audit.Friendly, "Account: [444455556666/partner] Entity: [cidr:2001:db8:1::/48]", false},
		{"cidr", "::ffff:10.0.3.7", audit.Unknown, "Entity: [cidr:::ffff:10.0.3.7]", false},
		{"cidr", "not-a-cidr", audit.Unknown, "Entity: [cidr:not-a-cidr]", false},
		{"vpc", "vpc-1", audit.Friendly, "Account: [444455556666/partner] Entity: [vpc:vpc-1]", false},
		{"vpce", "vpce-1", audit.Unknown, "Entity: [vpce:vpce-1]", false},
		{"vpce", "vpce-2", audit.Unknown, "Entity: [vpce:vpce-2]", false},
		{"org-id", "o-1", 0, "Entity: [org-id:o-1]", false},
	} {
		var got audit.Labels
		var e audit.Entity
		fs := probe(t, &audit.Env{Context: ctx}, func(r *audit.Run) {
			e = audit.Entity{Category: tc.cat, Value: tc.value}
			got = r.Inspect(&e)
		})
		require.Equal(t, tc.want, got, "%s:%s", tc.cat, tc.value)
		require.Equal(t, tc.render, e.String(), "%s:%s", tc.cat, tc.value)
		if tc.parseErr {
			require.Equal(t, []audit.Finding{{Score: 3, Text: "Parse Error", Notes: audit.Str("Could not parse ARN - " + tc.value)}}, fs)
		} else {
			require.Empty(t, fs)
		}
	}
}

func TestAddIssueDedupAndTruncation(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 1500)
	fs := probe(t, nil, func(r *audit.Run) {
		require.Equal(t, 0, r.AddIssue(1, "A", nil, nil))
		require.Equal(t, 0, r.AddIssue(1, "A", nil, audit.Str("ignored")))
		require.Equal(t, 1, r.AddIssue(2, "A", nil, nil))
		require.Equal(t, 2, r.AddIssue(1, "A", audit.Str("n"), nil))
		require.Equal(t, 2, r.AddIssue(1, "A", audit.Str("n"), nil))
		require.Equal(t, 3, r.AddIssue(1, "A", audit.Str(""), nil))
		require.Equal(t, 4, r.AddIssue(1, "B", &long, nil))
		require.Equal(t, 4, r.AddIssue(1, "B", audit.Str(strings.Repeat("é", 1024)+"x"), nil))
	})
	require.Len(t, fs, 5)
	require.Equal(t, audit.MaxNotes, len([]rune(*fs[4].Notes)))
	require.Equal(t, strings.Repeat("é", 1024), *fs[4].Notes)
}

func TestRecorders(t *testing.T) {
	t.Parallel()
	e := audit.Entity{Category: "principal", Value: "*"}
	fs := probe(t, nil, func(r *audit.Run) {
		r.RecordInternetAccess(7, audit.PolicyNotes(e, []string{"s3:GetObject"}), "S3 Bucket")
		r.RecordFriendly("f")
		r.RecordThirdParty("t")
		r.RecordUnknown("u")
		r.RecordCrossAccountRoot("c")
	})
	require.Equal(t, []audit.Finding{
		{Score: 7, Text: "Internet Accessible", Notes: audit.Str(`Entity: [principal:*] Actions: ["s3:GetObject"]`),
			ActionInstructions: audit.Str("An S3 Bucket with { 'Principal': { 'AWS': '*' } } must also have a strong condition block or it is Internet Accessible. ")},
		{Score: 0, Text: "Friendly Cross Account", Notes: audit.Str("f")},
		{Score: 0, Text: "Thirdparty Cross Account", Notes: audit.Str("t")},
		{Score: 10, Text: "Unknown Access", Notes: audit.Str("u")},
		{Score: 6, Text: "Cross-Account Root IAM", Notes: audit.Str("c")},
	}, fs)
}

func TestOverrides(t *testing.T) {
	t.Parallel()
	key := "check_probe (ProbeAuditor)"
	run := func(scores []monkey.AuditScore, acct monkey.Account) []audit.Finding {
		a := audit.NewChecker("probe", "ProbeAuditor", nil, false,
			audit.Check{Method: "check_probe", Run: func(r *audit.Run) {
				r.RecordUnknown("u")
				r.RecordFriendly("f")
			}},
			audit.Check{Method: "check_other", Run: func(r *audit.Run) { r.AddIssue(4, "Other", nil, nil) }},
		)
		return a.Audit(audit.Item{Account: acct, Config: monkey.Config{}}, &audit.Env{Scores: scores})
	}
	pat := func(field, pattern string, score int) monkey.AccountPatternScore {
		return monkey.AccountPatternScore{AccountType: "AWS", AccountField: field, AccountPattern: pattern, Score: score}
	}
	for _, tc := range []struct {
		name   string
		scores []monkey.AuditScore
		acct   monkey.Account
		want   []int // scores of u, f, other
	}{
		{"none", nil, prod, []int{10, 0, 4}},
		{"other tech", []monkey.AuditScore{{Technology: "s3", Method: key, Score: 1}}, prod, []int{10, 0, 4}},
		{"plain", []monkey.AuditScore{{Technology: "probe", Method: key, Score: 2}}, prod, []int{2, 2, 4}},
		{"pattern name", []monkey.AuditScore{{Technology: "probe", Method: key, Score: 2, Patterns: []monkey.AccountPatternScore{
			pat("name", "dev", 8), pat("name", "prod", 9), pat("identifier", "111122223333", 7)}}}, prod, []int{9, 9, 4}},
		{"pattern identifier", []monkey.AuditScore{{Technology: "probe", Method: key, Score: 2, Patterns: []monkey.AccountPatternScore{
			pat("identifier", "111122223333", 7)}}}, prod, []int{7, 7, 4}},
		{"pattern case-sensitive", []monkey.AuditScore{{Technology: "probe", Method: key, Score: 2, Patterns: []monkey.AccountPatternScore{
			pat("name", "PROD", 7)}}}, prod, []int{2, 2, 4}},
		{"pattern custom field", []monkey.AuditScore{{Technology: "probe", Method: key, Score: 2, Patterns: []monkey.AccountPatternScore{
			pat("env", "production", 5)}}}, prod, []int{5, 5, 4}},
		{"pattern notes", []monkey.AuditScore{{Technology: "probe", Method: key, Score: 2, Patterns: []monkey.AccountPatternScore{
			pat("notes", "main", 3)}}}, prod, []int{3, 3, 4}},
		{"falsy attribute falls back to custom", []monkey.AuditScore{{Technology: "probe", Method: key, Score: 2, Patterns: []monkey.AccountPatternScore{
			pat("notes", "x", 3)}}}, monkey.Account{Custom: map[string]string{"notes": "x"}}, []int{3, 3, 4}},
	} {
		fs := run(tc.scores, tc.acct)
		require.Len(t, fs, 3, tc.name)
		require.Equal(t, tc.want, []int{fs[0].Score, fs[1].Score, fs[2].Score}, tc.name)
	}
	// Same post-override score: u and f differ by text, so both remain;
	// disabled check: nothing from it.
	fs := run([]monkey.AuditScore{{Technology: "probe", Method: key, Disabled: true}}, prod)
	require.Equal(t, []audit.Finding{{Score: 4, Text: "Other"}}, fs)
}

func TestOnly(t *testing.T) {
	t.Parallel()
	a := audit.NewChecker("probe", "ProbeAuditor", nil, false,
		audit.Check{Method: "check_a", Run: func(r *audit.Run) { r.AddIssue(1, "A", nil, nil) }},
		audit.Check{Method: "check_b", Run: func(r *audit.Run) { r.AddIssue(1, "B", nil, nil) }},
	)
	require.Equal(t, []audit.CheckInfo{{ID: "probe.a", Method: "check_a", Class: "ProbeAuditor"}, {ID: "probe.b", Method: "check_b", Class: "ProbeAuditor"}}, a.Checks())
	fs := a.Audit(audit.Item{}, &audit.Env{Only: map[string]bool{"probe.b": true}})
	require.Equal(t, []audit.Finding{{Score: 1, Text: "B"}}, fs)
	require.Len(t, a.Audit(audit.Item{}, nil), 2)
}

func TestAWSAccounts(t *testing.T) {
	t.Parallel()
	accts, err := audit.AWSAccounts()
	require.NoError(t, err)
	require.Len(t, accts, 66)
	seen := map[string]bool{}
	for _, a := range accts {
		require.Len(t, a.Identifier, 12)
		require.False(t, seen[a.Identifier])
		seen[a.Identifier] = true
		require.True(t, a.ThirdParty)
		require.False(t, a.Active)
		require.Equal(t, "AWS", a.Type)
		require.True(t, strings.HasPrefix(a.Notes, "https://docs.aws.amazon.com/"), a.Name)
	}
	require.Equal(t, "CloudTrail Logs (ap-east-1)", accts[0].Name)
	require.Equal(t, "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-supported-regions.html", accts[0].Notes)
}

func TestFactsOf(t *testing.T) {
	t.Parallel()
	kr := func(k, v string) monkey.KnownResource { return monkey.KnownResource{Kind: k, Value: v} }
	require.Nil(t, audit.FactsOf("cidr"))
	require.Nil(t, audit.FactsOf("cidr", "", nil, 3, []any{"x"}), "only non-empty strings")
	require.Equal(t, []monkey.KnownResource{kr("cidr", "1.1.1.1"), kr("cidr", "10.0.0.1")},
		audit.FactsOf("cidr", "1.1.1.1", "10.0.0.1", "1.1.1.1"), "de-duplicated, in order")
}

func TestDedupManyFindings(t *testing.T) {
	t.Parallel()
	sub := audit.Item{ID: 9, Issues: []monkey.Issue{{Text: "L", Score: 2}, {Text: "L", Score: 3}}}
	fs := probe(t, nil, func(r *audit.Run) {
		for i := range 40 {
			require.Equal(t, i, r.AddIssue(1, "T", audit.Str(strings.Repeat("x", i)), nil))
		}
		for i := range 40 {
			require.Equal(t, i, r.AddIssue(1, "T", audit.Str(strings.Repeat("x", i)), nil))
		}
		require.Equal(t, 40, r.AddIssue(1, "T", nil, nil))
		l := r.LinkSupportItemIssues(sub, "L", "", -1, 0)
		require.Equal(t, 41, l)
		// the linked issue now scores 5: a new add with score 5 dedups into it
		require.Equal(t, 41, r.AddIssue(5, "L", nil, nil))
		require.Equal(t, 42, r.AddIssue(2, "L", nil, nil))
	})
	require.Len(t, fs, 43)
	require.Equal(t, 5, fs[41].Score)
}

func TestWhitelistedAndRFC1918(t *testing.T) {
	t.Parallel()
	ctx, err := audit.ContextFromData(nil, []monkey.NetworkWhitelist{
		{Name: "a", CIDR: "198.51.100.0/25"}, {Name: "b", CIDR: "198.51.100.128/25"}, {Name: "v6", CIDR: "2001:db8::/32"},
	}, []monkey.KnownResource{{Account: "111122223333", Kind: audit.KindCIDR, Value: "203.0.113.0/24"}}, time.Time{})
	require.NoError(t, err)
	for cidr, want := range map[string]bool{
		"198.51.100.0/25": true, "198.51.100.130": true, "198.51.100.200/26": true, "2001:db8:1::/48": true,
		"198.51.100.0/24": false, // inside the merged /24, but in no single entry
		"203.0.113.0/24":  false, // a known CIDR, not whitelisted
		"10.0.0.0/8":      false, "garbage": false, "": false,
	} {
		require.Equal(t, want, ctx.Whitelisted(cidr), cidr)
	}
	for cidr, want := range map[string]bool{
		"10.0.0.0/8": true, "10.1.2.3": true, "172.31.0.0/16": true, "192.168.1.1/32": true, "10.0.0.0/7": false,
		"172.32.0.0/16": false, "fd00::/8": false, "0.0.0.0/0": false, "x": false, "10.1.0.0/33": false,
	} {
		require.Equal(t, want, audit.IsRFC1918(cidr), cidr)
	}
}

func TestStrings(t *testing.T) {
	t.Parallel()
	list := []any{map[string]any{"id": "a"}, map[string]any{"id": ""}, "x", map[string]any{"id": 3}, map[string]any{"id": "b"}}
	require.Equal(t, []string{"a", "b"}, audit.Strings(list, "id"))
	require.Nil(t, audit.Strings(map[string]any{"id": "a"}, "id"))
}

func TestStringListAndListenerTable(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"a", "b"}, audit.StringList([]any{"a", 3, nil, "b"}))
	require.Nil(t, audit.StringList("a"))
	l := audit.ListenerTable([]any{
		map[string]any{"Protocol": "HTTPS", "Port": 443.0}, map[string]any{"Protocol": "HTTP", "Port": 80},
		map[string]any{"Protocol": "SSL", "Port": 8443}, map[string]any{"Protocol": "-1", "Port": 1},
		map[string]any{"Protocol": "UDP", "Port": 53}, map[string]any{"Protocol": "TCP"}, "junk",
	}, "Port")
	require.Equal(t, audit.Listeners{"TCP": {443: true, 80: true}, "SSL": {8443: true}, "ALL_PROTOCOLS": {1: true}, "UDP": {53: true}}, l)
}
