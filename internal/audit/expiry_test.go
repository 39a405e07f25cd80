package audit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	want := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, s := range []string{"2030-01-02T03:04:05Z", "2030-01-02T03:04:05+00:00", "2030-01-02 03:04:05+00:00",
		"2030-01-02T05:04:05+02:00", "2030-01-02 03:04:05", " 2030-01-02T03:04:05 "} {
		got, ok := ParseDate(s)
		require.True(t, ok, s)
		require.True(t, want.Equal(got), s)
	}
	got, ok := ParseDate("2030-01-02 03:04:05.250000+00:00")
	require.True(t, ok)
	require.Equal(t, 250*time.Millisecond, got.Sub(want))
	for _, v := range []any{nil, "", "None", "tomorrow", 12.0, "2030-13-02T03:04:05Z"} {
		_, ok := ParseDate(v)
		require.False(t, ok, v)
	}
}

func TestExpiryChecks(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ctx, err := ContextFromData(nil, nil, nil, now)
	require.NoError(t, err)
	c := NewChecker("x", "XAuditor", nil, true, ExpiryChecks(func(cfg monkey.Config) (time.Time, bool) {
		return ParseDate(cfg["exp"])
	})...)
	type issue struct {
		text  string
		score int
		notes string
	}
	for _, tc := range []struct {
		exp  string
		want []issue
	}{
		{"2026-01-01T12:00:00Z", []issue{{"Cert will expire soon.", 10, "Expires on 2026-01-01 12:00:00+00:00."}, {"Cert will expire soon.", 5, "Expires on 2026-01-01 12:00:00+00:00."}}},
		{"2026-01-31T23:59:59Z", []issue{{"Cert will expire soon.", 10, "Expires on 2026-01-31 23:59:59+00:00."}, {"Cert will expire soon.", 5, "Expires on 2026-01-31 23:59:59+00:00."}}},
		{"2026-02-01T00:00:00Z", []issue{{"Cert will expire soon.", 5, "Expires on 2026-02-01 00:00:00+00:00."}}},
		{"2026-03-02T23:59:59Z", []issue{{"Cert will expire soon.", 5, "Expires on 2026-03-02 23:59:59+00:00."}}},
		{"2026-03-03T00:00:00Z", nil},
		{"2025-12-31T23:00:00Z", []issue{{"Cert has expired.", 10, "Expired on 2025-12-31 23:00:00+00:00."}}},
		{"not a date", nil},
	} {
		fs := c.Audit(Item{Config: monkey.Config{"exp": tc.exp}}, &Env{Context: ctx})
		var got []issue
		for _, f := range fs {
			got = append(got, issue{f.Text, f.Score, *f.Notes})
		}
		require.Equal(t, tc.want, got, tc.exp)
	}
}
