package app_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of the audit-file tests")

// TestAuditFileGolden runs `monkey audit-file` on hand-made configs of every
// technology and compares the printed issues with golden files (reviewed
// against spec/auditors.md; regenerate with -update). A config <name>.json
// is audited with the context contexts/<name>.json when there is one (the
// supporting items of listener-linked checks), else with context.json.
func TestAuditFileGolden(t *testing.T) {
	t.Parallel()
	configs, err := filepath.Glob("testdata/auditfile/*.json")
	require.NoError(t, err)
	c := cli{t: t, env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}}
	n := 0
	for _, cfg := range configs {
		base := strings.TrimSuffix(filepath.Base(cfg), ".json")
		if base == "context" {
			continue
		}
		n++
		tech, _, _ := strings.Cut(base, "-")
		t.Run(base, func(t *testing.T) {
			t.Parallel()
			ctxFile := filepath.Join("testdata/auditfile/contexts", base+".json")
			if _, err := os.Stat(ctxFile); err != nil {
				ctxFile = "testdata/auditfile/context.json"
			}
			out := c.run("audit-file", "--technology", tech, "--context", ctxFile, cfg)
			golden := filepath.Join("testdata/auditfile", base+".golden")
			if *updateGolden {
				require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run with -update to create %s", golden)
			require.Equal(t, string(want), out)
		})
	}
	require.GreaterOrEqual(t, n, 6)
}

func TestAuditFileChecksAndErrors(t *testing.T) {
	t.Parallel()
	c := cli{t: t, env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}}
	out := c.run("audit-file", "--technology", "securitygroup", "--checks", "securitygroup.internet_accessible_egress",
		"--context", "testdata/auditfile/context.json", "testdata/auditfile/securitygroup.json")
	require.JSONEq(t, `[{"issue":"Internet Accessible","score":10,"notes":"Entity: [cidr:0.0.0.0/0] Access: [egress:all_protocols:all_ports]"}]`, out)

	list := c.run("audit-file", "--list-checks", "--technology", "s3")
	require.Equal(t, 14, strings.Count(list, "\n"), list) // header + 13 checks
	require.Contains(t, list, "check_acl_unknown (S3Auditor)")

	_, stderr, err := c.try("audit-file", "--technology", "s3", "--checks", "s3.nope", "testdata/auditfile/s3.json")
	require.Error(t, err)
	require.Contains(t, stderr, "s3.nope")
	// A config of the wrong shape is an error naming the first field that
	// does not fit, never a silent "[]" (a false negative).
	for bad, field := range map[string]string{
		`{"Policy": {"Statement": "oops"}}`:                                            "Policy.Statement",
		`{"Policy": [1, {"Statement": {"Principal": 7}}]}`:                             "Policy: want an object",
		`{"Grants": "x", "Owner": 3}`:                                                  "Grants",
		`{"Policy":"not-an-object"}`:                                                   "Policy: want an object",
		`{"Policy":{"Statement":{"Effect":"Allow","Principal":{"AWS":12345}}}}`:        "Policy.Statement.Principal",
		`{"Policy":{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*"}}}}`: "trailing data",
	} {
		f := filepath.Join(t.TempDir(), "bad.json")
		require.NoError(t, os.WriteFile(f, []byte(bad), 0o600))
		_, stderr, err := c.try("audit-file", "--technology", "s3", f)
		require.Error(t, err, bad)
		require.Contains(t, stderr, field, bad)
	}
	// Supporting items: of a technology the auditor reads, in its stored shape.
	for ctxJSON, want := range map[string]string{
		`{"support_items":{"securitygroup":[{"name":"web","config":{"id":"sg-1","rules":"open"}}]}}`: `support_items.securitygroup[0] ("web") is not a securitygroup config: rules`,
		`{"support_items":{"s3":[{"name":"b","config":{}}]}}`:                                        "rdsdbinstance reads no s3 items (it reads: securitygroup)",
		`{"support_items":{"securitygroup":[{"name":"web","config":{},"extra":1}]}}`:                 `unknown field "extra"`,
	} {
		f := filepath.Join(t.TempDir(), "ctx.json")
		require.NoError(t, os.WriteFile(f, []byte(ctxJSON), 0o600))
		_, stderr, err := c.try("audit-file", "--technology", "rdsdbinstance", "--context", f, "testdata/auditfile/rdsdbinstance.json")
		require.Error(t, err, ctxJSON)
		require.Contains(t, stderr, want, ctxJSON)
	}
	_, stderr, err = c.try("audit-file", "--technology", "s3", "testdata/auditfile/context.json.missing")
	require.Error(t, err)
	require.Contains(t, stderr, "no such file")
	f := filepath.Join(t.TempDir(), "notjson.json")
	require.NoError(t, os.WriteFile(f, []byte(`{"a":`), 0o600))
	_, stderr, err = c.try("audit-file", "--technology", "s3", f)
	require.Error(t, err)
	require.Contains(t, stderr, "decode config")
}
