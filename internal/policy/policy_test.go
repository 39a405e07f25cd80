package policy_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/policy"
)

var loadCat = sync.OnceValues(policy.LoadCatalogue)

func cat(t testing.TB) *policy.Catalogue {
	t.Helper()
	c, err := loadCat()
	require.NoError(t, err)
	return c
}

func TestCatalogue(t *testing.T) {
	t.Parallel()
	c := cat(t)
	require.Equal(t, 6089, c.Len())
	for action, want := range map[string]string{
		"iam:PassRole": "Write", "iam:PutRolePolicy": "Permissions", "s3:PutBucketPolicy": "Permissions",
		"s3:PutObjectAcl": "Permissions", "kms:CreateGrant": "Permissions", "ec2:AuthorizeSecurityGroupIngress": "Write",
		"s3:PutObject": "Write", "sqs:SendMessage": "Write", "sts:AssumeRole": "Write", "s3:GetObject": "Read",
		"iam:ListRoles": "List", "IAM:PASSROLE": "Write",
	} {
		got, ok := c.Category(action)
		require.True(t, ok, action)
		require.Equal(t, want, got, action)
	}
	_, ok := c.Category("newsvc:Do")
	require.False(t, ok)
	_, err := policy.NewCatalogue([]byte("[1]"))
	require.Error(t, err)
}

func TestGlob(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"*", "", true},
		{"*", "abc", true},
		{"s3:get*", "s3:getobject", true},
		{"s3:get*", "s3:putobject", false},
		{"iam:pass?ole", "iam:passrole", true},
		{"iam:pass?ole", "iam:passsrole", false},
		{"iam:[pq]assrole", "iam:passrole", true},
		{"iam:[!p]assrole", "iam:passrole", false},
		{"iam:[a-z]assrole", "iam:passrole", true},
		{"iam:[]", "iam:[]", true}, // "[]" then "]"... unterminated class is literal
		{"iam:[x", "iam:[x", true},
		{"*a*b*c", "xaybzc", true},
		{"*a*b*c", "xaybz", false},
		{"a**", "a", true},
	} {
		require.Equal(t, tc.want, policy.Glob(tc.pattern, tc.name), "%q ~ %q", tc.pattern, tc.name)
	}
}

func TestGlobPathological(t *testing.T) {
	t.Parallel()
	p := strings.Repeat("*a", 2000) + "b"
	n := strings.Repeat("a", 20000)
	start := time.Now()
	require.False(t, policy.Glob(p, n))
	require.Less(t, time.Since(start), 10*time.Second)
}

func TestARN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		err     bool
		want    policy.ARN
		open    bool
		comment string
	}{
		{in: "arn:aws:iam::111122223333:root", want: policy.ARN{Partition: "aws", Service: "iam", Account: "111122223333", Resource: "root", Root: true}},
		{in: "arn:aws:iam::111122223333:role/x", want: policy.ARN{Partition: "aws", Service: "iam", Account: "111122223333", Resource: "role/x"}},
		{in: "arn:aws:iam::*:root", want: policy.ARN{Partition: "aws", Service: "iam", Account: "*", Resource: "root", Root: true}, open: true},
		{in: "arn:aws:iam:::role/x", want: policy.ARN{Partition: "aws", Service: "iam", Resource: "role/x"}, open: true},
		{in: "arn:aws:s3:::bucket/*", want: policy.ARN{Partition: "aws", Service: "s3", Resource: "bucket/*"}},
		{in: "arn:aws:iam::cloudfront:user/x", want: policy.ARN{Partition: "aws", Service: "iam", Account: "cloudfront", Resource: "user/x"}},
		{in: "arn:aws:iam::12345678901:root", err: true, comment: "11 digits"},
		{in: "111122223333", want: policy.ARN{Account: "111122223333"}},
		{in: "111122223333444455556666", want: policy.ARN{Account: "111122223333444455556666"}},
		{in: "ec2.amazonaws.com", want: policy.ARN{Service: "ec2", IsService: true}},
		{in: "logs.eu-west-1.amazonaws.com", want: policy.ARN{Service: "logs.eu-west-1", IsService: true}},
		{in: "ec2.amazon.com", want: policy.ARN{Service: "ec2", IsService: true}},
		{in: "ec2.aws.internal", want: policy.ARN{Service: "ec2", IsService: true}},
		{in: "ec2XawsYinternal", want: policy.ARN{Service: "ec2", IsService: true}, comment: "unescaped dots"},
		{in: "*", err: true, open: true},
		{in: "AROA*", err: true, open: true},
		{in: "garbage", err: true},
	} {
		got, err := policy.ParseARN(tc.in)
		if tc.err {
			require.ErrorIs(t, err, policy.ErrARN, tc.in)
		} else {
			require.NoError(t, err, tc.in)
			require.Equal(t, tc.want, got, tc.in)
		}
		require.Equal(t, tc.open, policy.IsOpenARN(tc.in), tc.in)
	}
}

func stmt(t *testing.T, js string) policy.Statement {
	t.Helper()
	d, err := policy.Parse([]byte(`{"Statement": ` + js + `}`))
	require.NoError(t, err)
	require.Len(t, d.Statements, 1)
	return d.Statements[0]
}

// The §3.6 examples.
func TestInternetAccessible(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		js   string
		want bool
	}{
		{`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}`, true},
		{`{"Effect":"Allow","Principal":{"AWS":"*"},"Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0abc"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.1.0.0/16","0.0.0.0/0"]}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`, true},
		{`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:role/r"},"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}`, false},
		{`{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"}}`, false},
		{`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"}}`, true},
		{`{"Effect":"Deny","Principal":"*"}`, false},
		{`{"Effect":"allow","Principal":"*"}`, false},
		{`{"Effect":"Allow","Principal":"*","Condition":{"StringLike":{"aws:userid":"AROAEXAMPLE:*"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Condition":{"StringLike":{"aws:userid":"AROA*:x"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Condition":{"StringLike":{"aws:userid":"AROAEXAMPLE"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:*:x"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:x"}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Condition":{"ForAnyValue:StringEquals":{"aws:SourceAccount":"111122223333"}}}`, true},
		{`{"Effect":"Allow","Principal":"*","Condition":{"ForAnyValue:StringEquals":{"aws:SourceAccount":["111122223333"]}}}`, false},
		{`{"Effect":"Allow","Principal":"*","Condition":{"StringEqualsIgnoreCaseIfExistsXYZ":{"aws:SourceAccount":"111122223333"}}}`, false},
		{`{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"}}`, false},
		{`{"Effect":"Allow","Principal":{"AWS":"111122223333"}}`, false},
	} {
		require.Equal(t, tc.want, stmt(t, tc.js).InternetAccessible(), tc.js)
	}
}

func TestStatementFields(t *testing.T) {
	t.Parallel()
	s := stmt(t, `{"Effect":"Allow","Action":["s3:GetObject","s3:GetObject","iam:PassRole"],"Principal":{"AWS":["b","a"],"Service":"ec2.amazonaws.com","CanonicalUser":"x"},
		"Condition":{"StringEquals":{"aws:SourceAccount":["2","1"],"aws:Referer":"x"},"IpAddress":{"aws:SourceArn":"arn:aws:sns:x:111122223333:t"}}}`)
	require.Equal(t, []string{"iam:PassRole", "s3:GetObject"}, s.Actions)
	require.True(t, s.ResourceNull)
	require.Equal(t, []string{"a", "b", "ec2.amazonaws.com"}, s.Principals)
	require.Equal(t, []policy.Entry{
		{Category: "account", Value: "1"}, {Category: "account", Value: "2"},
		{Category: "arn", Value: "arn:aws:sns:x:111122223333:t"},
		{Category: "principal", Value: "a"}, {Category: "principal", Value: "b"}, {Category: "principal", Value: "ec2.amazonaws.com"},
	}, s.WhosAllowed())

	s = stmt(t, `{"Effect":"Allow","NotResource":"x","Resource":"y"}`)
	require.Equal(t, []string{"*"}, s.Resources)
	require.False(t, s.ResourceNull)
}

func TestExpansion(t *testing.T) {
	t.Parallel()
	c := cat(t)
	s := stmt(t, `{"Effect":"Allow","Action":["s3:Get*","iam:pass*","newsvc:*","Foo:Bar"]}`)
	as := s.Expanded(c)
	require.True(t, as.Has("s3:getobject"))
	require.False(t, as.Has("s3:putobject"))
	require.True(t, as.Has("iam:passrole"))
	require.True(t, as.Has("newsvc:*"))
	require.True(t, as.Has("foo:bar"))

	s = stmt(t, `{"Effect":"Allow","NotAction":"s3:*"}`)
	as = s.Expanded(c)
	require.True(t, as.Has("iam:passrole"))
	require.False(t, as.Has("s3:getobject"))
	require.False(t, as.Has("newsvc:x"))

	s = stmt(t, `{"Effect":"Allow","Action":"*"}`)
	require.True(t, s.Expanded(c).Has("ec2:authorizesecuritygroupingress"))

	s = stmt(t, `{"Effect":"Allow","Action":"iam:pass?ole"}`)
	require.False(t, s.Expanded(c).Has("iam:passrole"), "only entries with * are globbed")
	require.Len(t, c.Expand("IAM:PASS*"), len(c.Expand("iam:pass*")))
}

func TestActionSummary(t *testing.T) {
	t.Parallel()
	c := cat(t)
	s := stmt(t, `{"Effect":"Allow","Action":["iam:PassRole","iam:PutRolePolicy","s3:GetObject","newsvc:Do","other:*"]}`)
	require.Equal(t, map[string]map[string]bool{
		"iam":    {"Write": true, "Permissions": true},
		"s3":     {"Read": true},
		"newsvc": {"": true},
		"other":  {"": true},
	}, s.ActionSummary(c).Map())
	s = stmt(t, `{"Effect":"Allow","NotAction":"*"}`)
	require.Empty(t, s.ActionSummary(c).Services(), "NotAction * excludes everything")
	s = stmt(t, `{"Effect":"Allow","NotAction":"s3:*"}`)
	sum := s.ActionSummary(c)
	require.NotContains(t, sum.Services(), "s3")
	require.True(t, sum.Has("iam", "Permissions"))
	require.False(t, sum.Has("iam", ""))
}

func TestDataPlaneMutatingCatalogue(t *testing.T) {
	t.Parallel()
	c, err := policy.NewCatalogue([]byte(`{"old":{"Put":"DataPlaneMutating"}}`))
	require.NoError(t, err)
	s := stmt(t, `{"Effect":"Allow","Action":"old:*"}`)
	require.Equal(t, map[string]map[string]bool{"old": {"DataPlaneMutating": true}}, s.ActionSummary(c).Map())
}

func TestLookup(t *testing.T) {
	t.Parallel()
	var cfg any
	require.NoError(t, json.Unmarshal([]byte(`{
		"InlinePolicies": {"b": {"Statement": {"Effect":"Deny"}}, "a": {"Statement": [{"Effect":"Allow"}]}, "c": null, "d": {}, "e": "x"},
		"Policies": [{"Statement": []}, 3, {}],
		"Policy": {"DEFAULT": {"Statement": []}, "Aliases": {"x": {"Statement": []}}}
	}`), &cfg))
	docs := policy.Lookup(cfg, "InlinePolicies$*")
	require.Len(t, docs, 2)
	require.Equal(t, "Allow", docs[0].Statements[0].Effect, "sorted map order")
	require.Equal(t, "Deny", docs[1].Statements[0].Effect)
	require.Len(t, policy.Lookup(cfg, "Policies"), 1)
	require.Len(t, policy.Lookup(cfg, "Policy$Aliases$*"), 1)
	require.Len(t, policy.Lookup(cfg, "Missing$*"), 0)
	require.Len(t, policy.Lookup("x", "a"), 0)
}

func TestHostile(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	_, err := policy.Parse([]byte(deep))
	require.Error(t, err)
	deepObj := `{"Statement":` + strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000) + "}"
	_, err = policy.Parse([]byte(deepObj))
	require.NoError(t, err)
	_, err = policy.Parse([]byte("\xff\xfe{"))
	require.Error(t, err)
	_, err = policy.Parse([]byte(`"string"`))
	require.ErrorIs(t, err, policy.ErrNotPolicy)

	// Megabytes of statements with odd actions: bounded time.
	var b strings.Builder
	b.WriteString(`{"Statement":[`)
	for i := range 20000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"Effect":"Allow","Principal":"*","Action":["*a*a*a*a*a*b","s3:*","x\u00e9:*[","iam:[!a-z]*"],"NotAction":"*?*","Resource":[1,null,"x"]}`)
	}
	b.WriteString("]}")
	require.Greater(t, b.Len(), 1<<21)
	start := time.Now()
	d, err := policy.Parse([]byte(b.String()))
	require.NoError(t, err)
	c := cat(t)
	for _, s := range d.Statements {
		s.Expanded(c).Has("iam:passrole")
		s.ActionSummary(c)
		s.InternetAccessible()
	}
	require.Less(t, time.Since(start), 30*time.Second)
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}}`))
	f.Add([]byte(`{"Statement":[{"Effect":"Allow","NotAction":["iam:*"],"NotResource":1,"Principal":{"AWS":[1,"*"]}}]}`))
	f.Add([]byte(`{"Statement":[{"Condition":{"ForAnyValue:StringLike":{"aws:userid":["*"]}},"Action":"[*"}]}`))
	f.Add([]byte(`[]`))
	c, err := policy.LoadCatalogue()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := policy.Parse(data)
		if err != nil {
			return
		}
		d.InternetAccessible()
		d.InternetAccessibleActions()
		for _, s := range d.Statements {
			s.WhosAllowed()
			s.Expanded(c).Has("iam:passrole")
			s.ActionSummary(c)
		}
	})
}

func FuzzARN(f *testing.F) {
	for _, s := range []string{"arn:aws:iam::111122223333:root", "*", "ec2.amazonaws.com", "111122223333", "x.aws.internal", "arn:::::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := policy.ParseARN(s)
		if err == nil && a.Root && a.Service != "iam" {
			t.Fatalf("root for service %q", a.Service)
		}
		policy.IsOpenARN(s)
		policy.Glob(s, s)
	})
}

// BenchmarkAuditStatements measures the analysis of a typical IAM role's
// inline policy (expansion, summary, passrole, SG narrowing) per role.
func BenchmarkAuditStatements(b *testing.B) {
	c := cat(b)
	docs := []string{
		`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","iam:Pass*","ec2:Authorize*"],"Resource":"*"}]}`,
		`{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`,
	}
	var parsed []policy.Document
	for _, d := range docs {
		p, err := policy.Parse([]byte(d))
		require.NoError(b, err)
		parsed = append(parsed, p)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		d := parsed[i%len(parsed)]
		for _, s := range d.Statements {
			as := s.Expanded(c)
			as.Has("iam:passrole")
			as.Has("ec2:authorizesecuritygroupingress")
			s.ActionSummary(c)
		}
	}
}

func TestHostilePatterns(t *testing.T) {
	t.Parallel()
	c := cat(t)
	start := time.Now()
	for i := range 200 {
		p := strings.Repeat("*a", 500+i) + "*"
		require.Empty(t, c.Expand(p))
	}
	require.NotEmpty(t, c.Expand(strings.Repeat("*", 5000)))
	require.Equal(t, c.Expand("iam:passrole"), c.Expand("iam:[abcdefghijklmnopqrstuvwxyz]assrole*"))
	require.Less(t, time.Since(start), 10*time.Second)
}
