package audit

import (
	"math"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// ExpiryChecks are the three certificate expiry checks shared by iamssl
// and acm (auditors.md §5.5 and §5.23): check_upcoming_expiration (10,
// 0 ≤ days ≤ 30), check_future_expiration (5, 0 ≤ days ≤ 60) and
// check_expired (10, days < 0), days being ⌊(expiry − now) / 24 h⌋ on the
// audit clock. expiry reads the expiration date of a config (ok false when
// it has none or it cannot be read: no issue). Notes render the date PY-STR.
func ExpiryChecks(expiry func(cfg monkey.Config) (time.Time, bool)) []Check {
	days := func(r *Run) (int, string, bool) {
		t, ok := expiry(r.Item.Config)
		if !ok {
			return 0, "", false
		}
		d := int(math.Floor(t.Sub(r.Ctx.Now()).Hours() / 24))
		return d, pyStr(t), true
	}
	return []Check{
		{Method: "check_upcoming_expiration", Run: func(r *Run) {
			if d, exp, ok := days(r); ok && d >= 0 && d <= 30 {
				r.AddIssue(10, "Cert will expire soon.", Str("Expires on "+exp+"."), nil)
			}
		}},
		{Method: "check_future_expiration", Run: func(r *Run) {
			if d, exp, ok := days(r); ok && d >= 0 && d <= 60 {
				r.AddIssue(5, "Cert will expire soon.", Str("Expires on "+exp+"."), nil)
			}
		}},
		{Method: "check_expired", Run: func(r *Run) {
			if d, exp, ok := days(r); ok && d < 0 {
				r.AddIssue(10, "Cert has expired.", Str("Expired on "+exp+"."), nil)
			}
		}},
	}
}

// dateLayouts are the stored renderings of technologies.md §0.3 a date may
// come in: RAW / ISO-Z / ISO-OFF (RFC 3339), PY-STR, and naive dates (UTC).
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00", // PY-STR
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

// ParseDate parses a stored date in any rendering of technologies.md §0.3;
// a date without an offset is UTC. ok is false for anything else
// (including PY-STR's "None").
func ParseDate(v any) (time.Time, bool) {
	s, _ := v.(string)
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// pyStr renders t as PY-STR (Python's str() of an aware UTC datetime).
func pyStr(t time.Time) string {
	u := t.UTC()
	if u.Nanosecond()/1000 != 0 {
		return u.Format("2006-01-02 15:04:05.000000") + "+00:00"
	}
	return u.Format("2006-01-02 15:04:05") + "+00:00"
}
