package tech

import (
	"fmt"
	"strings"

	"github.com/secmonkey/monkey/internal/audit"
)

// SensitiveServices is SENSITIVE_SERVICES (spec/config.md), read by the
// mutable-sensitive-services check of the IAM policy family (iamrole,
// iamuser, iamgroup, policy): "ALL" (the default when not set), a list of
// service prefixes, or a false value (False, None, [], "false", "none", "0"
// or empty) that disables the check.
var SensitiveServices = &Setting{
	Name: "SENSITIVE_SERVICES",
	Env:  []string{"MONKEY_SENSITIVE_SERVICES", "SENSITIVE_SERVICES"},
	Doc:  "services of the mutable-sensitive-services check: ALL, a list of prefixes, or false to disable it",
	Parse: func(raw any) (string, error) {
		switch v := raw.(type) {
		case bool:
			if v {
				return "", fmt.Errorf("true is not a list of services (ALL, prefixes, or false)")
			}
			return "", nil
		case nil:
			return "", nil
		case []any:
			var out []string
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					return "", fmt.Errorf("list element %v is not a string", e)
				}
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
			return strings.Join(out, ","), nil
		case string:
			switch strings.ToLower(strings.TrimSpace(v)) {
			case "", "false", "none", "0", "[]":
				return "", nil
			}
			var out []string
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					out = append(out, p)
				}
			}
			return strings.Join(out, ","), nil
		default:
			return "", fmt.Errorf("%v is not a list of services", raw)
		}
	},
}

// SensitiveSelector is the check_mutable_sensitive_services selector of
// settings (audit.SensitiveServices).
func SensitiveSelector(settings Settings) func(service string) bool {
	v, given := settings.Get(SensitiveServices.Name)
	return audit.SensitiveServices(v, given)
}
