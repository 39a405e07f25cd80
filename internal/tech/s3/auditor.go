package s3

import (
	"sort"
	"strings"

	"github.com/secmonkey/monkey/internal/audit"
)

// Class is the reference auditor class.
const Class = "S3Auditor"

// Grantee URIs of the S3 groups.
const (
	AllUsers           = "http://acs.amazonaws.com/groups/global/AllUsers"
	AuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	LogDelivery        = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

// Auditor audits S3 buckets (auditors.md §5.6): the resource-policy checks
// on Policy and the ACL checks on Grants/Owner.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor (it needs no catalogue).
func NewAuditor() *Auditor {
	checks := audit.ResourcePolicyChecks(Technology.Singular, "Policy")
	checks = append(checks,
		audit.Check{Method: "check_acl_internet_accessible", Run: func(r *audit.Run) {
			aclHelper(r, func(*audit.Context) []string {
				return []string{strings.ToLower(AllUsers), strings.ToLower(AuthenticatedUsers)}
			}, awsLabel,
				func(n string) { r.RecordInternetAccess(10, n, Technology.Singular) })
		}},
		audit.Check{Method: "check_acl_log_delivery", Run: func(r *audit.Run) {
			aclHelper(r, func(*audit.Context) []string { return []string{strings.ToLower(LogDelivery)} }, awsLabel,
				func(n string) { r.RecordThirdParty(n) })
		}},
		audit.Check{Method: "check_acl_friendly_legacy", Run: func(r *audit.Run) {
			aclHelper(r, s3Names(false), labelBy(s3NameOf), func(n string) { r.RecordFriendly(n) })
		}},
		audit.Check{Method: "check_acl_thirdparty_legacy", Run: func(r *audit.Run) {
			aclHelper(r, s3Names(true), labelBy(s3NameOf), func(n string) { r.RecordThirdParty(n) })
		}},
		audit.Check{Method: "check_acl_friendly_canonical", Run: func(r *audit.Run) {
			aclHelper(r, canonicalIDs(false), labelBy(canonicalOf), func(n string) { r.RecordFriendly(n) })
		}},
		audit.Check{Method: "check_acl_thirdparty_canonical", Run: func(r *audit.Run) {
			aclHelper(r, canonicalIDs(true), labelBy(canonicalOf), func(n string) { r.RecordThirdParty(n) })
		}},
		audit.Check{Method: "check_acl_unknown", Run: func(r *audit.Run) {
			known := map[string]bool{
				strings.ToLower(AllUsers): true, strings.ToLower(AuthenticatedUsers): true, strings.ToLower(LogDelivery): true,
			}
			for _, f := range []func(*audit.Context) []string{s3Names(false), s3Names(true), canonicalIDs(false), canonicalIDs(true)} {
				for _, k := range f(r.Ctx) {
					known[k] = true
				}
			}
			for _, g := range grants(r) {
				if !known[strings.ToLower(g.grantee)] {
					e := audit.Entity{Category: "ACL", Value: g.grantee}
					r.RecordUnknown(audit.PolicyNotes(e, g.perms))
				}
			}
		}},
		audit.Check{Method: "check_policy_exists", Run: func(r *audit.Run) {
			if !audit.Truthy(map[string]any(r.Item.Config)["Policy"]) {
				r.AddIssue(0, "POLICY - No Policy.", nil, nil)
			}
		}},
	)
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false, checks...)}
}

type grant struct {
	grantee string
	perms   []string
}

// grants returns Grants in grantee order with the permission arrays as
// stored (non-string elements dropped).
func grants(r *audit.Run) []grant {
	m, _ := map[string]any(r.Item.Config)["Grants"].(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]grant, 0, len(keys))
	for _, k := range keys {
		g := grant{grantee: k, perms: []string{}}
		switch v := m[k].(type) {
		case []any:
			for _, p := range v {
				if s, ok := p.(string); ok {
					g.perms = append(g.perms, s)
				}
			}
		case string:
			g.perms = append(g.perms, v)
		}
		out = append(out, g)
	}
	return out
}

func aclHelper(r *audit.Run, list func(*audit.Context) []string, label func(*audit.Context, *audit.Entity), record func(string)) {
	set := map[string]bool{}
	for _, k := range list(r.Ctx) {
		set[k] = true
	}
	owner := strings.ToLower(audit.GetStr(map[string]any(r.Item.Config), "Owner", "ID"))
	for _, g := range grants(r) {
		lg := strings.ToLower(g.grantee)
		if !set[lg] || lg == owner {
			continue
		}
		e := audit.Entity{Category: "ACL", Value: g.grantee}
		label(r.Ctx, &e)
		record(audit.PolicyNotes(e, g.perms))
	}
}

func awsLabel(_ *audit.Context, e *audit.Entity) { e.Label("AWS", "AWS") }

func s3NameOf(a audit.AccountInfo) *string    { return a.S3Name }
func canonicalOf(a audit.AccountInfo) *string { return a.CanonicalID }

func labelBy(field func(audit.AccountInfo) *string) func(*audit.Context, *audit.Entity) {
	return func(c *audit.Context, e *audit.Entity) {
		for _, a := range c.Accounts() {
			if v := field(a); v != nil && strings.EqualFold(*v, e.Value) {
				e.Label(a.Identifier, a.Name)
				return
			}
		}
	}
}

// listOf lowers field of every account with the given third-party flag; an
// account without the field contributes "none" (reference quirk).
func listOf(field func(audit.AccountInfo) *string, third bool) func(*audit.Context) []string {
	return func(c *audit.Context) []string {
		var out []string
		for _, a := range c.Accounts() {
			if a.ThirdParty != third {
				continue
			}
			if v := field(a); v != nil {
				out = append(out, strings.ToLower(*v))
			} else {
				out = append(out, "none")
			}
		}
		return out
	}
}

func s3Names(third bool) func(*audit.Context) []string      { return listOf(s3NameOf, third) }
func canonicalIDs(third bool) func(*audit.Context) []string { return listOf(canonicalOf, third) }
