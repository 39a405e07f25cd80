package iamssl

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
)

// Class is the reference auditor class.
const Class = "IAMSSLAuditor"

// heartbleed is when the Heartbleed disclosure made earlier uploads suspect.
var heartbleed = time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)

// Auditor audits IAM server certificates (auditors.md §5.5). The expiry
// checks depend on the audit clock, so it is TimeDependent.
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	checks := []audit.Check{
		{Method: "check_issuer", Run: func(r *audit.Run) {
			if is, ok := r.Item.Config["issuer"].(string); ok && strings.Contains(is, errorExtractingIssuer) {
				r.AddIssue(10, "Could not extract valid certificate issuer.", audit.Str(is), nil)
			}
		}},
		{Method: "check_cert_size_lt_1024", Run: func(r *audit.Run) {
			if size, ok := audit.Int(r.Item.Config["size"]); ok && size != 0 && size < 1024 {
				r.AddIssue(10, "Cert size is less than 1024 bits.", audit.Str("Actual size is "+strconv.Itoa(size)+" bits."), nil)
			}
		}},
		{Method: "check_cert_size_lt_2048", Run: func(r *audit.Run) {
			if size, ok := audit.Int(r.Item.Config["size"]); ok && size >= 1024 && size < 2048 {
				r.AddIssue(3, "Cert size is less than 2048 bits.", audit.Str("Actual size is "+strconv.Itoa(size)+" bits."), nil)
			}
		}},
		{Method: "check_signature_algorith_for_md5", Run: func(r *audit.Run) {
			if alg, ok := r.Item.Config["signature_algorithm"].(string); ok && strings.Contains(strings.ToLower(alg), "md5") {
				r.AddIssue(3, "Cert uses an MD5 signature Algorithm", audit.Str(alg), nil)
			}
		}},
		{Method: "check_signature_algorith_for_sha1", Run: func(r *audit.Run) {
			if alg, ok := r.Item.Config["signature_algorithm"].(string); ok && strings.Contains(strings.ToLower(alg), "sha1") {
				r.AddIssue(1, "Cert uses an SHA1 signature Algorithm", audit.Str(alg), nil)
			}
		}},
		{Method: "check_upload_date_for_heartbleed", Run: func(r *audit.Run) {
			up, ok := audit.ParseDate(r.Item.Config["upload_date"])
			if !ok || !up.Before(heartbleed) {
				return
			}
			days := int(math.Floor(heartbleed.Sub(up).Hours() / 24))
			r.AddIssue(10, "Cert may have been compromised by heartbleed.", audit.Str("Cert was uploaded "+strconv.Itoa(days)+" days before heartbleed."), nil)
		}},
	}
	checks = append(checks, audit.ExpiryChecks(func(cfg monkey.Config) (time.Time, bool) { return audit.ParseDate(cfg["expiration"]) })...)
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, true, checks...)}
}
