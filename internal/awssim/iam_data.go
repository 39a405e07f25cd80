package awssim

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Seeded IAM state. Every resource is a pure function of the account, its
// index and its mutation generation; see the package doc for the catalogue.

// inline policy kinds (index i%7 picks one).
const (
	polAdmin = iota
	polIAMAll
	polPassRole
	polNotAction
	polNotResource
	polSGIngress
	polReadOnly
	numPolKinds
)

func policyKindName(k int) string {
	return [...]string{"admin", "iam-all", "pass-role", "not-action", "not-resource", "sg-ingress", "read-only"}[k]
}

func policyStatement(k int) string {
	switch k {
	case polAdmin:
		return `{"Effect":"Allow","Action":"*","Resource":"*"}`
	case polIAMAll:
		return `{"Effect":"Allow","Action":"iam:*","Resource":"*"}`
	case polPassRole:
		return `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}`
	case polNotAction:
		return `{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`
	case polNotResource:
		return `{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret-bucket/*"}`
	case polSGIngress:
		return `{"Effect":"Allow","Action":["ec2:AuthorizeSecurityGroupIngress","ec2:DescribeSecurityGroups"],"Resource":"*"}`
	default:
		return `{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::example-bucket","arn:aws:s3:::example-bucket/*"]}`
	}
}

func policyDoc(statements ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
}

// iamEscape URL-encodes a policy document the way IAM returns it (%20 for
// spaces, never '+', so both QueryUnescape and PathUnescape decode it).
func iamEscape(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

// staticDocs holds the pre-escaped documents that do not depend on the account.
type staticDocs struct {
	inline [numPolKinds]string // escaped single-statement documents
}

func buildStaticDocs() staticDocs {
	var d staticDocs
	for k := range numPolKinds {
		d.inline[k] = iamEscape(policyDoc(policyStatement(k)))
	}
	return d
}

// mutationDoc is the escaped inline policy added by Mutate (one statement per generation).
func mutationDoc(gen int) string {
	st := make([]string, gen)
	for g := range st {
		st[g] = fmt.Sprintf(`{"Sid":"Mutation%d","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::mutation-%d/*"}`, g+1, g+1)
	}
	return iamEscape(policyDoc(st...))
}

type namedDoc struct{ name, doc string } // doc is URL-encoded
// policyRef is an attached managed policy; cust is the customer managed
// policy index, or -1 for an AWS managed policy.
type policyRef struct {
	name, arn string
	cust      int
}

// ---- AWS managed policies ----

type awsPolicy struct{ name, id, doc string }

func awsManagedPolicies() []awsPolicy {
	return []awsPolicy{
		{"AdministratorAccess", "ANPAIWMBCKSKIEE64ZLYK", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
		{"ReadOnlyAccess", "ANPAILL3HVNFSB6DCOWYQ", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:Describe*","iam:Get*","iam:List*","s3:Get*","s3:List*"],"Resource":"*"}]}`},
		{"SecurityAudit", "ANPAIX2T3QCXHR2OGGCTO", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:Get*","iam:List*","s3:GetBucketAcl","ec2:Describe*"],"Resource":"*"}]}`},
	}
}

const (
	awsAdmin = iota
	awsReadOnly
	awsSecurityAudit
)

func awsPolicyARN(name string) string { return "arn:aws:iam::aws:policy/" + name }

func awsPolicyDate() time.Time { return time.Date(2015, 2, 6, 18, 39, 46, 0, time.UTC) }

// ---- roles ----

func roleKindName(k int) string {
	return [...]string{"ec2-service", "same-account", "cross-account", "unknown-account", "open-trust"}[k]
}

// roleKind is the trust variant of role i (see roleKindName).
func roleKind(i int) int {
	if bulkBenign(i) {
		return 0
	}
	return i % 5
}

// roleInlineKind is the inline policy variant of role i.
func roleInlineKind(i int) int {
	if bulkBenign(i) {
		return polReadOnly
	}
	return i % numPolKinds
}

func (s *Server) roleName(i int) string { return fmt.Sprintf("%s-%d", roleKindName(roleKind(i)), i) }

func (s *Server) roleARN(a *account, i int) string {
	return "arn:aws:iam::" + a.id + ":role" + rolePath(i) + s.roleName(i)
}

func rolePath(i int) string {
	if roleKind(i) == 0 {
		return "/service-role/"
	}
	return "/"
}

func (s *Server) roleID(a *account, i int) string {
	return "AROA" + idString(s.h(1, uint64(a.idx), uint64(i)), 17, b32Digits)
}

// unknownAccount is a 12-digit id that is never a simulated account.
const unknownAccount = "444455556666"

// trustDoc is the escaped trust policy of role i (cached per account by New).
func (s *Server) trustDoc(a *account, i int) string { return iamOf(a).trust[roleKind(i)] }

func (s *Server) buildTrustDoc(a *account, i int) string {
	var principal string
	switch i % 5 {
	case 0:
		principal = `{"Service":"ec2.amazonaws.com"}`
	case 1:
		principal = `{"AWS":"arn:aws:iam::` + a.id + `:root"}`
	case 2:
		other := s.nextAccount(a).id
		principal = `{"AWS":"arn:aws:iam::` + other + `:root"}`
	case 3:
		principal = `{"AWS":"arn:aws:iam::` + unknownAccount + `:root"}`
	default:
		principal = `{"AWS":"*"}`
	}
	return iamEscape(policyDoc(`{"Effect":"Allow","Principal":` + principal + `,"Action":"sts:AssumeRole"}`))
}

func (s *Server) roleTags(i, gen int) []tag {
	var tags []tag
	if i%3 != 2 {
		tags = append(tags, tag{"owner", fmt.Sprintf("team-%d", i%4)})
		tags = append(tags, tag{"env", [...]string{"prod", "dev", "test"}[i%3]})
	}
	if gen > 0 {
		tags = append(tags, tag{"sim:mutation", fmt.Sprint(gen)})
	}
	return tags
}

// ---- users ----

func (s *Server) userName(i int) string { return fmt.Sprintf("sim-user-%d", i) }

func (s *Server) userARN(a *account, i int) string {
	return "arn:aws:iam::" + a.id + ":user/" + s.userName(i)
}

func (s *Server) userID(a *account, i int) string {
	return "AIDA" + idString(s.h(2, uint64(a.idx), uint64(i)), 17, b32Digits)
}

// userGroups are the group indices user i belongs to.
func (s *Server) userGroups(a *account, i int) []int {
	if i%2 != 0 {
		return nil
	}
	items := s.opts.Items
	var gs []int
	for _, g := range []int{(i / 2) % items, (i/2 + 1) % items} {
		if a.tech(techGroup).exists(g) && (len(gs) == 0 || gs[0] != g) {
			gs = append(gs, g)
		}
		if i%4 != 0 {
			break
		}
	}
	return gs
}

func (s *Server) userInline(i, gen int) []namedDoc {
	var docs []namedDoc
	if i%3 == 1 {
		k := i % numPolKinds
		docs = append(docs, namedDoc{"user-" + policyKindName(k), s.iamDocs().inline[k]})
	}
	if gen > 0 {
		docs = append(docs, namedDoc{"sim-mutations", mutationDoc(gen)})
	}
	return docs
}

func userTags(i int) []tag {
	if i%2 != 0 {
		return nil
	}
	return []tag{{"team", fmt.Sprintf("team-%d", i%3)}}
}

// accessKey is one access key of a user; lastUsed is zero when never used.
type accessKey struct {
	id       string
	active   bool
	created  time.Time
	lastUsed time.Time
	service  string
	region   string
}

func (s *Server) accessKeyID(a *account, user, slot int) string {
	return fmt.Sprintf("AKIA%08X%d%s", user, slot, idString(s.h(3, uint64(a.idx), uint64(user), uint64(slot)), 7, b32Digits))
}

// parseAccessKeyID returns the user index and slot encoded by accessKeyID.
func parseAccessKeyID(id string) (user, slot int, ok bool) {
	if len(id) != 20 || !strings.HasPrefix(id, "AKIA") {
		return 0, 0, false
	}
	var u uint32
	if _, err := fmt.Sscanf(id[4:12], "%08X", &u); err != nil {
		return 0, 0, false
	}
	if id[12] < '1' || id[12] > '2' {
		return 0, 0, false
	}
	return int(u), int(id[12] - '0'), true
}

// userKeys: i%4 == 0 one fresh used key; 1 an old never-used active key and
// an inactive key; 2 no key; 3 an old used key and a fresh never-used key.
func (s *Server) userKeys(a *account, i int) []accessKey {
	day := 24 * time.Hour
	n := s.anchor
	k := func(slot int, active bool, age time.Duration, used time.Duration, svc, region string) accessKey {
		ak := accessKey{id: s.accessKeyID(a, i, slot), active: active, created: n.Add(-age + time.Duration(i%60)*time.Minute)}
		if used > 0 {
			ak.lastUsed, ak.service, ak.region = n.Add(-used), svc, region
		}
		return ak
	}
	switch i % 4 {
	case 0:
		return []accessKey{k(1, true, 10*day, 1*day, "s3", "us-east-1")}
	case 1:
		return []accessKey{k(1, true, 400*day, 0, "", ""), k(2, false, 200*day, 150*day, "iam", "us-east-1")}
	case 3:
		return []accessKey{k(1, true, 120*day, 2*day, "ec2", "us-west-2"), k(2, true, 5*day, 0, "", "")}
	}
	return nil
}

func hasLoginProfile(i int) bool { return i%3 != 2 }
func hasMFA(i int) bool          { return i%3 == 0 }
func hasSigningCert(i int) bool  { return i%5 == 4 }

func (s *Server) mfaSerial(a *account, i int) string {
	return "arn:aws:iam::" + a.id + ":mfa/" + s.userName(i)
}

func (s *Server) certID(a *account, i int) string {
	return idString(s.h(4, uint64(a.idx), uint64(i)), 32, b32Digits)
}

func (s *Server) passwordLastUsed(i int) time.Time {
	if !hasLoginProfile(i) || i%2 == 1 {
		return time.Time{}
	}
	return s.anchor.Add(-time.Duration(3+i%40) * 24 * time.Hour)
}

// ---- groups ----

func (s *Server) groupName(i int) string { return fmt.Sprintf("sim-group-%d", i) }

func (s *Server) groupARN(a *account, i int) string {
	return "arn:aws:iam::" + a.id + ":group/" + s.groupName(i)
}

func (s *Server) groupID(a *account, i int) string {
	return "AGPA" + idString(s.h(5, uint64(a.idx), uint64(i)), 17, b32Digits)
}

func (s *Server) groupInline(i, gen int) []namedDoc {
	var docs []namedDoc
	if i%3 == 0 {
		k := (i + 1) % numPolKinds
		docs = append(docs, namedDoc{"group-" + policyKindName(k), s.iamDocs().inline[k]})
	}
	if gen > 0 {
		docs = append(docs, namedDoc{"sim-mutations", mutationDoc(gen)})
	}
	return docs
}

// ---- customer managed policies ----

func (s *Server) policyName(i int) string {
	return fmt.Sprintf("sim-policy-%s-%d", policyKindName(i%numPolKinds), i)
}

func (s *Server) policyARN(a *account, i int) string {
	return "arn:aws:iam::" + a.id + ":policy/" + s.policyName(i)
}

func (s *Server) policyID(a *account, i int) string {
	return "ANPA" + idString(s.h(6, uint64(a.idx), uint64(i)), 17, b32Digits)
}

// policyVersionDoc is the escaped document of version v (1-based): the base
// statement plus one statement per later version.
func (s *Server) policyVersionDoc(i, v int) string {
	if v == 1 {
		return s.iamDocs().inline[i%numPolKinds]
	}
	st := []string{policyStatement(i % numPolKinds)}
	for g := 2; g <= v; g++ {
		st = append(st, fmt.Sprintf(`{"Sid":"Version%d","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::version-%d"}`, g, g))
	}
	return iamEscape(policyDoc(st...))
}

// policyIndex parses a customer managed policy ARN of account a.
func (s *Server) policyIndex(a *account, arn string) (int, bool) {
	prefix := "arn:aws:iam::" + a.id + ":policy/sim-policy-"
	if !strings.HasPrefix(arn, prefix) {
		return 0, false
	}
	rest := arn[len(prefix):]
	dash := strings.LastIndexByte(rest, '-')
	if dash < 0 {
		return 0, false
	}
	var i int
	if _, err := fmt.Sscanf(rest[dash+1:], "%d", &i); err != nil || s.policyName(i) != "sim-policy-"+rest {
		return 0, false
	}
	return i, a.tech(techPolicy).exists(i)
}

// attach describes the managed policies attached to one principal: cust is
// a customer managed policy index and aws an index into awsManagedPolicies,
// -1 for none. Pure arithmetic, so attachment counts are cheap at 100,000
// items. pol is the account's policy state (a.tech(techPolicy)).
type attach struct{ cust, aws int }

func (s *Server) roleAttach(pol *techState, i int) attach {
	at := attach{-1, -1}
	if j := i % s.opts.Items; i%4 == 1 && pol.exists(j) {
		at.cust = j
	}
	switch i % 7 {
	case 0:
		at.aws = awsAdmin
	case 3:
		at.aws = awsReadOnly
	}
	return at
}

func (s *Server) userAttach(pol *techState, i int) attach {
	at := attach{-1, -1}
	if j := (i + 1) % s.opts.Items; i%3 == 0 && pol.exists(j) {
		at.cust = j
	}
	if i%6 == 3 {
		at.aws = awsSecurityAudit
	}
	return at
}

func (s *Server) groupAttach(pol *techState, i int) attach {
	at := attach{-1, -1}
	if j := (i + 2) % s.opts.Items; i%2 == 0 && pol.exists(j) {
		at.cust = j
	}
	if i%4 == 1 {
		at.aws = awsAdmin
	}
	return at
}

func (s *Server) managedRefs(a *account, at attach) []policyRef {
	refs := make([]policyRef, 0, 2)
	if at.cust >= 0 {
		refs = append(refs, policyRef{s.policyName(at.cust), s.policyARN(a, at.cust), at.cust})
	}
	if at.aws >= 0 {
		name := awsManagedPolicies()[at.aws].name
		refs = append(refs, policyRef{name, awsPolicyARN(name), -1})
	}
	return refs
}

// attachments counts, for every customer managed policy index and every AWS
// managed policy, the live principals attached to it.
type attachments struct {
	customer []int // by customer managed policy index (only live policies are attached)
	aws      [3]int
}

func (s *Server) countAttachments(a *account) attachments {
	pol := a.tech(techPolicy)
	at := attachments{customer: make([]int, pol.n)}
	add := func(x attach) {
		if x.cust >= 0 {
			at.customer[x.cust]++
		}
		if x.aws >= 0 {
			at.aws[x.aws]++
		}
	}
	for _, e := range []struct {
		tech   string
		attach func(*techState, int) attach
	}{{techRole, s.roleAttach}, {techUser, s.userAttach}, {techGroup, s.groupAttach}} {
		ts := a.tech(e.tech)
		for i := range ts.n {
			if ts.exists(i) {
				add(e.attach(pol, i))
			}
		}
	}
	return at
}
