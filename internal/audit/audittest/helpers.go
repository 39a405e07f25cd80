package audittest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
)

// Accounts of the synthetic test context (auditors.md Appendix C).
var (
	Prod    = monkey.Account{Type: "AWS", Identifier: "111122223333", Name: "prod", Active: true}
	Partner = monkey.Account{Type: "AWS", Identifier: "444455556666", Name: "partner", Active: true,
		Custom: map[string]string{monkey.FieldS3Name: "partner-s3", monkey.FieldCanonicalID: "PARTNERCANON"}}
	Vendor = monkey.Account{Type: "AWS", Identifier: "999988887777", Name: "vendor", ThirdParty: true,
		Custom: map[string]string{monkey.FieldS3Name: "vendor-s3", monkey.FieldCanonicalID: "VENDORCANON"}}
)

// Now is the clock of the test context.
var Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Context builds the synthetic context: prod and partner friendly, vendor
// third party, the AWS-owned accounts third party, whitelist
// 198.51.100.0/24, and the known resources.
func Context(t testing.TB, known ...monkey.KnownResource) *audit.Context {
	t.Helper()
	aws, err := audit.AWSAccounts()
	require.NoError(t, err)
	accts := append([]monkey.Account{Prod, Partner, Vendor}, aws...)
	ctx, err := audit.ContextFromData(accts, []monkey.NetworkWhitelist{{Name: "office", CIDR: "198.51.100.0/24"}}, known, Now)
	require.NoError(t, err)
	return ctx
}

// Config decodes a JSON config (numbers as float64, as the store does).
func Config(t testing.TB, js string) monkey.Config {
	t.Helper()
	var c monkey.Config
	require.NoError(t, json.Unmarshal([]byte(js), &c), js)
	return c
}

// Issue is an expected finding; Notes "" with NoNotes=true means null.
type Issue struct {
	Text  string
	Score int
	Notes *string
}

// I is an expected issue with notes; N one with null notes.
func I(text string, score int, notes string) Issue { return Issue{text, score, &notes} }

// N is an expected issue with null notes.
func N(text string, score int) Issue { return Issue{Text: text, Score: score} }

func (i Issue) String() string {
	n := "null"
	if i.Notes != nil {
		n = fmt.Sprintf("%q", *i.Notes)
	}
	return fmt.Sprintf("{%q, %d, %s}", i.Text, i.Score, n)
}

// Expect compares findings with the expected issues, order-insensitively.
func Expect(t testing.TB, got []audit.Finding, want ...Issue) {
	t.Helper()
	g := append([]audit.Finding(nil), got...)
	audit.SortFindings(g)
	w := make([]audit.Finding, len(want))
	for i, x := range want {
		w[i] = audit.Finding{Text: x.Text, Score: x.Score, Notes: x.Notes}
	}
	audit.SortFindings(w)
	var gs, ws []string
	for _, f := range g {
		gs = append(gs, Issue{f.Text, f.Score, f.Notes}.String())
	}
	for _, f := range w {
		ws = append(ws, Issue{f.Text, f.Score, f.Notes}.String())
	}
	require.Equal(t, ws, gs)
}

// Golden renders findings as indented JSON {"issue","score","notes",
// "action_instructions","linked"} for golden files.
func Golden(fs []audit.Finding) []byte {
	type row struct {
		Issue  string  `json:"issue"`
		Score  int     `json:"score"`
		Notes  *string `json:"notes"`
		AI     *string `json:"action_instructions,omitempty"`
		Linked []int64 `json:"linked,omitempty"`
	}
	g := append([]audit.Finding(nil), fs...)
	audit.SortFindings(g)
	rows := make([]row, 0, len(g))
	for _, f := range g {
		rows = append(rows, row{f.Text, f.Score, f.Notes, f.ActionInstructions, f.LinkedItemIDs})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(rows)
	return b.Bytes()
}

// DefineUpdateFlag defines the -update test flag unless another part of the
// test binary already did (two definitions would panic). Call it from a
// package-level var of the external test package:
// var _ = audittest.DefineUpdateFlag().
func DefineUpdateFlag() bool {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
	return true
}

// Update reports whether golden files should be rewritten (-update or
// MONKEY_UPDATE_GOLDEN=1).
func Update() bool {
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		return true
	}
	return os.Getenv("MONKEY_UPDATE_GOLDEN") == "1"
}

// GoldenFile compares got with testdata/<name>, rewriting it with Update().
func GoldenFile(t testing.TB, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if Update() {
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, got, 0o644))
	}
	want, err := os.ReadFile(p)
	require.NoError(t, err, "run with -update to create %s", p)
	require.Equal(t, string(want), string(got))
}
