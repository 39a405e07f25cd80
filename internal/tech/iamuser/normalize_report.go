package iamuser

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"time"
)

// report is the credential report by user name.
type report map[string]*reportRow

// reportRow is the part of a credential report row the watcher uses.
type reportRow struct {
	PasswordEnabled  bool
	PasswordLastUsed *time.Time // nil: never / no information / no password
	MFAActive        bool
	HasCertificates  bool
	Keys             [2]reportKey
}

// reportKey is one access key slot of a report row.
type reportKey struct {
	LastRotated *time.Time // nil when the slot is empty
	LastUsed    *time.Time
	Region      string // "N/A" when never used
	Service     string
}

// keySlot returns the report slot of the key created at created (nil when
// the report has no row or no slot matches to the second).
func (r *reportRow) keySlot(created *time.Time) *reportKey {
	if r == nil || created == nil {
		return nil
	}
	for i := range r.Keys {
		k := &r.Keys[i]
		if k.LastRotated != nil && k.LastRotated.Unix() == created.Unix() {
			return k
		}
	}
	return nil
}

// parseReport parses the credential report CSV (header row first; the
// <root_account> row is skipped).
func parseReport(content []byte) (report, error) {
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("parse credential report header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, need := range []string{"user", "password_enabled", "mfa_active", "access_key_1_last_rotated"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("parse credential report: column %q missing", need)
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	out := report{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse credential report: %w", err)
		}
		user := get(rec, "user")
		if user == "<root_account>" || user == "" {
			continue
		}
		row := &reportRow{
			PasswordEnabled:  get(rec, "password_enabled") == "true",
			PasswordLastUsed: reportTime(get(rec, "password_last_used")),
			MFAActive:        get(rec, "mfa_active") == "true",
			HasCertificates: reportTime(get(rec, "cert_1_last_rotated")) != nil ||
				reportTime(get(rec, "cert_2_last_rotated")) != nil ||
				get(rec, "cert_1_active") == "true" || get(rec, "cert_2_active") == "true",
		}
		for i := range row.Keys {
			p := fmt.Sprintf("access_key_%d_", i+1)
			row.Keys[i] = reportKey{
				LastRotated: reportTime(get(rec, p+"last_rotated")),
				LastUsed:    reportTime(get(rec, p+"last_used_date")),
				Region:      get(rec, p+"last_used_region"),
				Service:     get(rec, p+"last_used_service"),
			}
		}
		out[user] = row
	}
	return out, nil
}

// reportTime parses a report timestamp; "N/A", "not_supported",
// "no_information" and "" are nil.
func reportTime(s string) *time.Time {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t
		}
	}
	return nil
}
