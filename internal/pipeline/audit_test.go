package pipeline_test

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/pipeline"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
)

// reportedIssues counts the issues sum's changes report as opened on
// technology tech.
func reportedIssues(t *testing.T, sum *pipeline.Summary, tech string) int {
	t.Helper()
	n := 0
	for _, c := range sum.Changes {
		for _, it := range c.Items {
			if it.Technology == tech {
				n += len(it.NewIssues)
			}
		}
	}
	return n
}

// TestAuditInChunks: a technology of several audit chunks (one is audited
// while the previous one's issues are written, decision 122) is audited
// whole, the changes report exactly the issues stored, and a rescan finds
// every audit current.
func TestAuditInChunks(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			b := setup(t, engine, 450, 3, pipeline.AuditChunk(100))
			ctx := context.Background()
			sum, err := b.pipe.Scan(ctx, []monkey.Account{b.acct}, []string{"securitygroup"}, pipeline.ScanOptions{})
			require.NoError(t, err)
			require.Empty(t, sum.Failed)
			r := sum.Technologies["securitygroup"]
			require.GreaterOrEqual(t, r.Audited, 450, "five chunks or more")
			require.Equal(t, r.Items, r.Audited)
			require.Positive(t, r.Issues)
			require.Equal(t, r.Issues, reportedIssues(t, sum, "securitygroup"))

			again, err := b.pipe.Scan(ctx, []monkey.Account{b.acct}, []string{"securitygroup"}, pipeline.ScanOptions{})
			require.NoError(t, err)
			require.Empty(t, again.Failed)
			require.Zero(t, again.Technologies["securitygroup"].Audited)
			require.Equal(t, r.Issues, again.Technologies["securitygroup"].Issues)
		})
	}
}

// TestAuditChunkWriteFails: when the issues of the second chunk cannot be
// written (the database refuses them), the audit stops with the error, the
// first chunk's issues stay, and the changes report only the issues stored.
func TestAuditChunkWriteFails(t *testing.T) {
	t.Parallel()
	s, path := storetest.NewWithURL(t, store.EngineSQLite)
	b := setupOn(t, s, 450, 3, pipeline.AuditChunk(100))
	ctx := context.Background()
	// Refuse the issues of items beyond the first chunk (chunks follow
	// item ids; the items exist when the audit writes).
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.ExecContext(ctx, `CREATE TRIGGER refuse_issues BEFORE INSERT ON issues
		WHEN NEW.item_id >= (SELECT id FROM items WHERE technology = 'securitygroup' ORDER BY id LIMIT 1 OFFSET 100)
		BEGIN SELECT RAISE(ABORT, 'injected: no space left'); END`)
	require.NoError(t, err)

	sum, err := b.pipe.Scan(ctx, []monkey.Account{b.acct}, []string{"securitygroup"}, pipeline.ScanOptions{})
	require.NoError(t, err)
	require.Len(t, sum.Failed, 1)
	require.Contains(t, sum.Failed[0], "injected: no space left")
	var stored int
	require.NoError(t, db.QueryRowContext(ctx, `SELECT count(*) FROM issues WHERE fixed = FALSE`).Scan(&stored))
	require.Positive(t, stored)
	require.Equal(t, stored, sum.Technologies["securitygroup"].Issues)
	require.Equal(t, stored, reportedIssues(t, sum, "securitygroup"), "only stored issues are reported")
}

// TestScanAuditsSupportsFirst: a scan audits an account's technologies side
// by side (decision 123), yet a load balancer or database is audited only
// after the security groups whose issues it links, whatever the order the
// technologies are given in.
func TestScanAuditsSupportsFirst(t *testing.T) {
	t.Parallel()
	b := setup(t, store.EngineSQLite, 6, 3)
	ctx := context.Background()
	techs := []string{"alb", "rdsdbinstance", "elb", "rdsdbcluster", "securitygroup"}
	sum, err := b.pipe.Scan(ctx, []monkey.Account{b.acct}, techs, pipeline.ScanOptions{AuditConcurrency: 4})
	require.NoError(t, err)
	require.Empty(t, sum.Failed)
	lbs := openIssues(t, b, "alb")
	require.Regexp(t, `^Internet Accessible 10 \[`+regexp.QuoteMeta("web-ipv6-1 (sg-"), linkedOf(lbs["sim-alb-web-1"], "Internet Accessible"))
	db := openIssues(t, b, "rdsdbinstance")
	require.Len(t, db["sim-db-public-mysql-2"], 1, "%v", db)
	require.Regexp(t, `^Unknown Access 10 \[`+regexp.QuoteMeta("db-private-2 (sg-"), db["sim-db-public-mysql-2"][0])
}

// TestDeclaredSupportFieldsAuditAlike: the auditors that declare which
// fields of their support items they read keep only those of the decoded
// support configs (decision 125), and store exactly the issues, scores and
// links they store when given the whole configs: a scan of every
// technology of the same simulated account, with and without the
// projection, leaves the same open issues on every item. It fails when an
// auditor reads a support field it did not declare.
func TestDeclaredSupportFieldsAuditAlike(t *testing.T) {
	t.Parallel()
	scan := func(opts ...func(*pipeline.Options)) map[string][]string {
		b := setup(t, "sqlite", 12, 3, opts...)
		ctx := context.Background()
		sum, err := b.pipe.Scan(ctx, []monkey.Account{b.acct}, b.pipe.Technologies(), pipeline.ScanOptions{})
		require.NoError(t, err)
		require.Empty(t, sum.Failed)
		names := map[int64]string{}
		var items []monkey.StoredItem
		for _, tech := range b.pipe.Technologies() {
			its, err := b.store.ItemsForAudit(ctx, b.acct.ID, tech, nil)
			require.NoError(t, err)
			for _, it := range its {
				names[it.ID] = tech + "/" + it.Name
			}
			items = append(items, its...)
		}
		return openIssueLines(items, names, func(it monkey.StoredItem) string { return names[it.ID] }, true)
	}
	projected, whole := scan(), scan(pipeline.WholeSupport())
	require.Equal(t, whole, projected)

	// The account exercises what the declared fields feed: links to the
	// security groups of load balancers and databases, and flow logs.
	var linked, flowLogs []string
	for item, issues := range projected {
		for _, i := range issues {
			if !strings.HasSuffix(i, " []") {
				linked = append(linked, item)
			}
			if strings.HasPrefix(item, "vpc/") && strings.HasPrefix(i, "Flow Logs not enabled for VPC") {
				flowLogs = append(flowLogs, item)
			}
		}
	}
	require.NotEmpty(t, linked)
	require.NotEmpty(t, flowLogs)
	t.Logf("linked: %v; flow logs: %v", linked, flowLogs)
}
