package iamuser

import (
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/tech"
)

// Class is the reference auditor class.
const Class = "IAMUserAuditor"

// Auditor audits IAM users (auditors.md §5.2). Its results depend on the
// audit clock (T90), so it is TimeDependent.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor with the IAM action catalogue.
func NewAuditor(cat *policy.Catalogue, settings tech.Settings) *Auditor {
	checks := []audit.Check{
		audit.AttachedManagedPoliciesCheck("ManagedPolicies"),
		{Method: "check_active_access_keys", Run: func(r *audit.Run) {
			for _, k := range keys(r) {
				if isActive(k) {
					r.AddIssue(1, "Informational", audit.Str("Active Accesskey ["+audit.PyRepr(k["AccessKeyId"])+"]"), nil)
				}
			}
		}},
		{Method: "check_inactive_access_keys", Run: func(r *audit.Run) {
			for _, k := range keys(r) {
				if !isActive(k) {
					r.AddIssue(0, "Informational", audit.Str("Inactive Accesskey ["+audit.PyRepr(k["AccessKeyId"])+"]"), nil)
				}
			}
		}},
		{Method: "check_access_key_rotation", Run: func(r *audit.Run) {
			t90 := r.Ctx.Now().Add(-90 * 24 * time.Hour)
			for _, k := range keys(r) {
				if !isActive(k) {
					continue
				}
				s, _ := k["CreateDate"].(string)
				if d, ok := ParseDate(s); ok && d.Before(t90) {
					r.AddIssue(1, "Needs Rotation", audit.Str("Active Accesskey ["+audit.PyRepr(k["AccessKeyId"])+"] last rotated > 90 days ago on "+s), nil)
				}
			}
		}},
		{Method: "check_access_key_last_used", Run: func(r *audit.Run) {
			t90 := r.Ctx.Now().Add(-90 * 24 * time.Hour)
			for _, k := range keys(r) {
				if !isActive(k) {
					continue
				}
				s, _ := k["LastUsedDate"].(string)
				if s == "" {
					s, _ = k["CreateDate"].(string)
				}
				if d, ok := ParseDate(s); ok && d.Before(t90) {
					r.AddIssue(1, "Unused Access", audit.Str("Active Accesskey ["+audit.PyRepr(k["AccessKeyId"])+"] last used > 90 days ago on "+s), nil)
				}
			}
		}},
		{Method: "check_no_mfa", Run: func(r *audit.Run) {
			cfg := map[string]any(r.Item.Config)
			if audit.Truthy(cfg["LoginProfile"]) && !audit.Truthy(cfg["MfaDevices"]) {
				r.AddIssue(1, "Insecure Configuration", audit.Str("User with password login and no MFA devices"), nil)
			}
		}},
		{Method: "check_loginprofile_plus_akeys", Run: func(r *audit.Run) {
			cfg := map[string]any(r.Item.Config)
			if !audit.Truthy(cfg["LoginProfile"]) {
				return
			}
			for _, k := range keys(r) {
				if isActive(k) {
					r.AddIssue(1, "Informational", audit.Str("User with password login and API access"), nil)
					return
				}
			}
		}},
	}
	checks = append(checks, audit.IAMPolicyChecks(cat, "InlinePolicies$*", nil, tech.SensitiveSelector(settings))...)
	// The policies are read for check_attached_managed_policies, which
	// reads nothing (audit.AttachedManagedPoliciesCheck).
	return &Auditor{audit.NewChecker(Technology.Index, Class, []string{"policy"}, true, checks...).ReadsSupport("policy")}
}

// keys are the AccessKeys elements that have a Status key.
func keys(r *audit.Run) []map[string]any {
	list, _ := map[string]any(r.Item.Config)["AccessKeys"].([]any)
	var out []map[string]any
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			if _, ok := m["Status"]; ok {
				out = append(out, m)
			}
		}
	}
	return out
}

func isActive(k map[string]any) bool {
	s, _ := k["Status"].(string)
	return s == "Active"
}

var dateLayouts = []string{
	"2006-01-02 15:04:05.999999-07:00", // PY-STR
	"2006-01-02 15:04:05-07:00",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999-07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
}

// ParseDate parses a stored date (PY-STR or ISO-8601). Dates without a zone
// are UTC.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || s == "None" {
		return time.Time{}, false
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
