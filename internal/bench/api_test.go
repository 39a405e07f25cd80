package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// apiItems is the number of items the API benchmark seeds
// (MONKEY_BENCH_API_ITEMS, default 1,000,000).
func apiItems() int {
	if v, err := strconv.Atoi(os.Getenv("MONKEY_BENCH_API_ITEMS")); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

var benchTechs = []string{"iamgroup", "iamrole", "iamuser", "policy", "s3", "securitygroup"}
var benchRegions = []string{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"}

// seedAPI fills st through the store's own bulk writes: n items over 5
// accounts and 6 technologies, one revision each, 20 % of them with two
// open issues (one justified in ten); one item with 100 revisions; one with
// two 100 KB revisions.
func seedAPI(b *testing.B, st *store.Store, n int) (hundred, big int64, bigRevs [2]int64) {
	ctx := context.Background()
	var accounts []monkey.Account
	for i := 0; i < 5; i++ {
		a := monkey.Account{Type: "AWS", Name: fmt.Sprintf("acct-%d", i), Identifier: fmt.Sprintf("1000000000%02d", i), Active: true}
		if err := st.CreateAccount(ctx, &a); err != nil {
			b.Fatal(err)
		}
		accounts = append(accounts, a)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	per := n / (len(accounts) * len(benchTechs))
	const batch = 2000
	seq := 0
	for ai, acct := range accounts {
		for _, tech := range benchTechs {
			var items []store.NewItem
			flush := func() {
				if len(items) == 0 {
					return
				}
				if err := st.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: tech,
					Now: t0.Add(time.Duration(seq) * time.Second), New: items}); err != nil {
					b.Fatal(err)
				}
				items = items[:0]
			}
			for i := 0; i < per; i++ {
				seq++
				name := fmt.Sprintf("%s-%d-%07d", tech, ai, i)
				region := benchRegions[i%len(benchRegions)]
				cfg := fmt.Sprintf(`{"Arn":"arn:aws:%s:::%s","Name":%q,"Owner":"%s","Policy":{"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Principal":%q,"Resource":"*"}]},"Tags":{"team":"t%d"}}`,
					tech, name, name, acct.Identifier, []string{"*", "arn:aws:iam::123456789012:root"}[i%2], i%50)
				items = append(items, store.NewItem{Region: region, Name: name, ARN: "arn:aws:" + tech + ":::" + name,
					Config: []byte(cfg), CompleteHash: "c" + name, DurableHash: "d" + name})
				if len(items) == batch {
					flush()
				}
			}
			flush()
			states, err := st.ItemStates(ctx, acct.ID, tech)
			if err != nil {
				b.Fatal(err)
			}
			var writes []store.IssueWrite
			for i, s := range states {
				if i%5 != 0 {
					continue
				}
				notes := "Entity: [account:" + strconv.Itoa(i%97) + "]"
				writes = append(writes, store.IssueWrite{ItemID: s.ItemID, Class: "BenchAuditor", Create: []monkey.Issue{
					{Text: "Internet Accessible", Score: 10}, {Text: "Unknown Access", Score: i%7 + 1, Notes: &notes}}})
			}
			if err := st.SaveIssues(ctx, store.Fence{}, acct.ID, tech, writes); err != nil {
				b.Fatal(err)
			}
			b.Logf("seeded %s/%s: %d items", acct.Name, tech, len(states))
		}
	}
	// Justify one issue in ten.
	list, _, err := st.ListIssues(ctx, store.IssueQuery{ItemQuery: store.ItemQuery{Count: 1000, Technologies: []string{"s3"}}})
	if err != nil {
		b.Fatal(err)
	}
	for i, v := range list {
		if i%10 == 0 {
			if err := st.JustifyIssue(ctx, v.Issue.ID, 0, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	}
	// One item with 100 revisions, one with two 100 KB configs.
	acct := accounts[0]
	if err := st.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "s3", Now: t0, New: []store.NewItem{
		{Region: "us-east-1", Name: "hundred", Config: []byte(`{"v":0}`)},
		{Region: "us-east-1", Name: "big", Config: bigConfig(0)},
	}}); err != nil {
		b.Fatal(err)
	}
	h, err := st.ItemByName(ctx, acct.ID, "s3", "us-east-1", "hundred")
	if err != nil {
		b.Fatal(err)
	}
	for v := 1; v < 100; v++ {
		if err := st.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "s3", Now: t0.Add(time.Duration(v) * time.Hour),
			Durable: []store.RevisionWrite{{ItemID: h.ID, RevisionID: h.RevisionID,
				Config: []byte(fmt.Sprintf(`{"v":%d,"pad":%q}`, v, strings.Repeat("x", 2000)))}}}); err != nil {
			b.Fatal(err)
		}
		if h, err = st.ItemByName(ctx, acct.ID, "s3", "us-east-1", "hundred"); err != nil {
			b.Fatal(err)
		}
	}
	g, err := st.ItemByName(ctx, acct.ID, "s3", "us-east-1", "big")
	if err != nil {
		b.Fatal(err)
	}
	if err := st.ApplyChanges(ctx, store.ChangeSet{AccountID: acct.ID, Technology: "s3", Now: t0.Add(time.Hour),
		Durable: []store.RevisionWrite{{ItemID: g.ID, RevisionID: g.RevisionID, Config: bigConfig(1)}}}); err != nil {
		b.Fatal(err)
	}
	revs, err := st.RevisionHistory(ctx, g.ID)
	if err != nil {
		b.Fatal(err)
	}
	return h.ID, g.ID, [2]int64{revs[1].ID, revs[0].ID}
}

// bigConfig is a ~100 KB config; version 1 changes one key in ten.
func bigConfig(version int) []byte {
	m := map[string]any{}
	for i := 0; i < 800; i++ {
		v := fmt.Sprintf("value-%d-%s", i, strings.Repeat("a", 100))
		if version == 1 && i%10 == 0 {
			v = "changed-" + v
		}
		m[fmt.Sprintf("key-%04d", i)] = map[string]any{"value": v, "list": []any{i, i + 1, "x"}}
	}
	out, _ := json.Marshal(m)
	return out
}

type timing struct {
	name     string
	p50, p99 time.Duration
	n        int
	budget   time.Duration
}

func measure(b *testing.B, client *http.Client, url, token string, n int) (p50, p99 time.Duration) {
	b.Helper()
	var ds []time.Duration
	for i := 0; i < n; i++ {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(start)
		if resp.StatusCode != 200 {
			b.Fatalf("%s: %d %s", url, resp.StatusCode, body)
		}
		ds = append(ds, d)
	}
	slices.Sort(ds)
	return ds[len(ds)/2], ds[(len(ds)*99+99)/100-1]
}

func sqlFloor(b *testing.B, db *sql.DB, n int, q string) (p50, p99 time.Duration) {
	var ds []time.Duration
	for i := 0; i < n; i++ {
		start := time.Now()
		rows, err := db.Query(q)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
		}
		rows.Close()
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], ds[(len(ds)*99+99)/100-1]
}

// BenchmarkAPI measures the p99 server time of the listed requests with
// 1,000,000 items in Postgres (issue 8's budgets), against the bare SQL
// floor of the same run. Figures go to docs/benchmarks.md.
func BenchmarkAPI(b *testing.B) {
	n := apiItems()
	seeded := openSeeded(b, n)
	st, dbURL, hundred, bigRevs := seeded.st, seeded.url, seeded.hundred, seeded.bigRevs
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	svc, err := auth.New(auth.Config{}, st, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	u, err := svc.CreateUser(ctx, fmt.Sprintf("bench-%d@example.com", time.Now().UnixNano()), "View", "")
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := svc.CreateToken(ctx, u, "bench", 0)
	if err != nil {
		b.Fatal(err)
	}
	var techs []monkey.Technology
	for _, t := range benchTechs {
		techs = append(techs, monkey.Technology{Index: t})
	}
	h, err := api.New(api.Deps{Store: st, Auth: svc, Technologies: techs})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Config{Web: server.Web{CSRFEnabled: true}}, server.Deps{Registry: prometheus.NewRegistry(),
		Auth: svc, Routes: h.Routes()})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := ts.Client()

	const samples = 100
	var out []timing
	wanted := benchRequests(b)
	add := func(name, path string, budget time.Duration, k int) {
		if !wanted(name) {
			return
		}
		p50, p99 := measure(b, client, ts.URL+path, token, k)
		out = append(out, timing{name: name, p50: p50, p99: p99, n: k, budget: budget})
	}
	for _, f := range []string{"", "regions=eu-west-1", "accounts=acct-2", "accounttypes=AWS", "technologies=s3",
		"names=s3-1-0000042", "arns=arn:aws:s3:::s3-1-0000042", "ids=4242", "active=true", "min_score=11",
		"min_unjustified_score=11", "summary=true"} {
		add("items "+orAll(f), "/api/1/items?"+f, 100*time.Millisecond, samples)
	}
	for _, f := range []string{"", "regions=eu-west-1", "accounts=acct-2", "accounttypes=AWS", "technologies=s3",
		"names=s3-1-0000040", "arns=arn:aws:s3:::s3-1-0000040", "active=true", "justified=true", "enabledonly=true",
		"summary=true", "searchconfig=account:42"} {
		add("issues "+orAll(f), "/api/1/issues?"+f, 100*time.Millisecond, samples)
	}
	// Config searches: a selective term (2 % of the items; 1 % of the open
	// issues) above, and terms every item or half the open issues match,
	// whose exact total reads every matching row (fewer samples).
	add("items searchconfig=s3-1-0000042 (one item)", "/api/1/items?searchconfig=s3-1-0000042", 100*time.Millisecond, samples)
	add(`items searchconfig=t49" (2 % of the items)`, "/api/1/items?searchconfig=t49%22", 100*time.Millisecond, samples)
	add("items searchconfig=GetObject (every item)", "/api/1/items?searchconfig=GetObject", 100*time.Millisecond, 20)
	add("issues searchconfig=internet (half the open issues)", "/api/1/issues?searchconfig=internet", 100*time.Millisecond, 20)
	add("item with 100 revisions", fmt.Sprintf("/api/1/items/%d", hundred), 50*time.Millisecond, samples)
	add("revision compare, two 100 KB configs", fmt.Sprintf("/api/1/revisions/%d?compare=%d", bigRevs[1], bigRevs[0]), 50*time.Millisecond, samples)

	f50, f99 := sqlFloor(b, db, samples, "SELECT COUNT(*) FROM items WHERE latest_revision_id IS NOT NULL")
	g50, g99 := sqlFloor(b, db, samples, "SELECT id FROM items ORDER BY latest_revision_id DESC LIMIT 30")
	floor := f99 + g99

	var sb strings.Builder
	fmt.Fprintf(&sb, "API with %d items in Postgres (%s), %d CPUs, %s\n", n, seeded.seedNote(), runtime.NumCPU(), runtime.Version())
	fmt.Fprintf(&sb, "floor (bare SQL: count(*) of items + first page by index): p50 %s, p99 %s\n", (f50 + g50).Round(10*time.Microsecond), floor.Round(10*time.Microsecond))
	fmt.Fprintf(&sb, "| request | p50 | p99 | p99 / floor | budget |\n|---|---|---|---|---|\n")
	for _, t := range out {
		budget := "–"
		if t.budget > 0 {
			mark := "ok"
			if t.p99 > t.budget {
				mark = "OVER"
			}
			budget = fmt.Sprintf("< %s %s", t.budget, mark)
		}
		fmt.Fprintf(&sb, "| %s | %s | %s | %.2f | %s |\n", t.name, t.p50.Round(100*time.Microsecond), t.p99.Round(100*time.Microsecond),
			float64(t.p99)/float64(floor), budget)
	}
	fmt.Println(sb.String())
	b.ReportMetric(float64(floor.Microseconds()), "floor-us")
}

func orAll(f string) string {
	if f == "" {
		return "(no filter)"
	}
	return f
}
