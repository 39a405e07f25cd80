package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/web"
)

// BenchmarkUI measures the p99 server time of the web UI's pages with
// MONKEY_BENCH_API_ITEMS items (default 1,000,000) in Postgres, seeded as
// BenchmarkAPI does (issue 9's budget: 200 ms), and the weight of a page
// without data rows. Figures go to docs/benchmarks.md.
func BenchmarkUI(b *testing.B) {
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
	ui, err := web.New(web.Deps{Store: st, Technologies: techs})
	if err != nil {
		b.Fatal(err)
	}
	h, err := api.New(api.Deps{Store: st, Auth: svc, Technologies: techs, LoginPage: ui.Login})
	if err != nil {
		b.Fatal(err)
	}
	routes := h.Routes()
	pages, err := ui.Routes(routes)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Config{Web: server.Web{CSRFEnabled: true}}, server.Deps{Registry: prometheus.NewRegistry(),
		Auth: svc, Routes: append(routes, pages...), ErrorPage: ui.ErrorPage})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := ts.Client()

	const samples = 50
	var out []timing
	wanted := benchRequests(b)
	add := func(name, path string, budget time.Duration) {
		if !wanted(name) {
			return
		}
		p50, p99 := measure(b, client, ts.URL+path, token, samples)
		out = append(out, timing{name: name, p50: p50, p99: p99, n: samples, budget: budget})
	}
	const budget = 200 * time.Millisecond
	add("dashboard (all accounts)", "/", budget)
	add("dashboard accounts=acct-2", "/?accounts=acct-2", budget)
	add("search items technologies=s3", "/search?type=items&technologies=s3", budget)
	add("search items regions=eu-west-1", "/search?type=items&regions=eu-west-1", budget)
	add("search open issues justified list", "/search?type=justified", budget)
	add("search open issues technologies=s3", "/search?type=issues&technologies=s3", budget)
	add("item with 100 revisions", fmt.Sprintf("/items/%d", hundred), budget)
	add("compare two 100 KB configs", fmt.Sprintf("/compare?left=%d&right=%d", bigRevs[0], bigRevs[1]), budget)

	// Weight: an empty result page with its stylesheet, script and icon.
	weight := 0
	for _, p := range []string{"/search?type=items&names=nothing-matches", "/static/app.css", "/static/app.js", "/static/monkey.svg"} {
		req, _ := http.NewRequest("GET", ts.URL+p, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		weight += len(body)
	}

	// The floor, as BenchmarkAPI's: the bare SQL of an exact item count and
	// a first page, without Go, HTTP or HTML.
	f50, f99 := sqlFloor(b, db, samples, "SELECT COUNT(*) FROM items WHERE latest_revision_id IS NOT NULL")
	g50, g99 := sqlFloor(b, db, samples, "SELECT id FROM items ORDER BY latest_revision_id DESC LIMIT 30")
	floor := f99 + g99

	var sb strings.Builder
	fmt.Fprintf(&sb, "UI with %d items in Postgres (%s), %d CPUs, %s\n", n, seeded.seedNote(), runtime.NumCPU(), runtime.Version())
	fmt.Fprintf(&sb, "page weight without data rows (HTML + CSS + JS + icon): %.1f KB\n", float64(weight)/1024)
	fmt.Fprintf(&sb, "floor (bare SQL: count(*) of items + first page by index): p50 %s, p99 %s\n", (f50 + g50).Round(10*time.Microsecond), floor.Round(10*time.Microsecond))
	fmt.Fprintf(&sb, "| page | p50 | p99 | p99 / floor | budget |\n|---|---|---|---|---|\n")
	for _, t := range out {
		mark := "ok"
		if t.p99 > t.budget {
			mark = "OVER"
		}
		fmt.Fprintf(&sb, "| %s | %s | %s | %.2f | < %s %s |\n", t.name, t.p50.Round(100*time.Microsecond), t.p99.Round(100*time.Microsecond),
			float64(t.p99)/float64(floor), t.budget, mark)
	}
	fmt.Println(sb.String())
	b.ReportMetric(float64(weight), "page-bytes")
}
