package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

// trendDays is the span of the open-issues chart.
const trendDays = 30

func (w *Web) dashboardRoutes() []pageRoute {
	return []pageRoute{
		// The dashboard reads the item and issue listings (View).
		{method: "GET", pattern: "/{$}", mirrors: "GET /api/1/items",
			summary: "the dashboard (accounts: comma-separated account names)", handler: w.dashboard},
	}
}

type accountChoice struct {
	Name   string
	Chosen bool
}

type dashboardPage struct {
	Accounts   []accountChoice
	AllChosen  bool
	Query      string // accounts=… of the choice, for links
	IssuesLink string
	TechChart  barChart
	TopItems   []store.ItemRow
	Aging      []store.IssueView
	Trend      lineChart
	New24h     int
	OpenIssues int
	Scans      []monkey.ScanStatus
	Failing    int
	Exceptions []monkey.Exception
	NoAccounts bool
}

func (w *Web) dashboard(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	accts, err := w.st.ListAccounts(ctx)
	if err != nil {
		return err
	}
	chosen := map[string]bool{}
	for _, n := range r.URL.Query()["accounts"] {
		for _, s := range splitList(n) {
			chosen[s] = true
		}
	}
	p := dashboardPage{AllChosen: len(chosen) == 0}
	var ids []int64
	var names []string
	for _, a := range accts {
		if a.ThirdParty {
			continue
		}
		on := p.AllChosen || chosen[a.Name]
		p.Accounts = append(p.Accounts, accountChoice{Name: a.Name, Chosen: on})
		if on && !p.AllChosen {
			ids = append(ids, a.ID)
			names = append(names, a.Name)
		}
	}
	p.NoAccounts = len(p.Accounts) == 0
	if !p.AllChosen && len(ids) == 0 {
		ids = []int64{-1} // chosen accounts that do not exist: nothing
	}
	if len(names) > 0 {
		p.Query = "accounts=" + url.QueryEscape(strings.Join(names, ","))
	}
	p.IssuesLink = "/search?type=issues" + andQuery(p.Query)
	now := w.d.Now().UTC()
	figs, err := w.figures(ctx, ids, now)
	if err != nil {
		return err
	}
	scores, points, new24 := figs.scores, figs.points, figs.new24
	for _, s := range scores {
		p.TechChart.Bars = append(p.TechChart.Bars, bar{Label: s.Technology, Value: s.Score,
			Note: fmt.Sprintf("%d issues", s.Issues), Link: "/search?type=issues&technologies=" + url.QueryEscape(s.Technology) + andQuery(p.Query)})
	}
	if p.TopItems, err = w.st.TopItems(ctx, ids, 10); err != nil {
		return err
	}
	if p.Aging, err = w.st.OldestIssues(ctx, ids, 10); err != nil {
		return err
	}
	p.New24h = new24
	if len(points) > 0 {
		p.OpenIssues = points[len(points)-1]
	}
	for i, v := range points {
		day := now.Add(-time.Duration(trendDays-1-i) * 24 * time.Hour)
		p.Trend.Points = append(p.Trend.Points, point{Label: day.Format("Jan 2"), Value: v})
	}
	scans, err := w.st.ListScans(ctx)
	if err != nil {
		return err
	}
	for _, s := range scans {
		if !p.AllChosen && !chosen[s.Account] {
			continue
		}
		p.Scans = append(p.Scans, s)
		if s.Outcome == "error" {
			p.Failing++
		}
	}
	sort.SliceStable(p.Scans, func(i, j int) bool {
		a, b := p.Scans[i], p.Scans[j]
		if (a.Outcome == "error") != (b.Outcome == "error") {
			return a.Outcome == "error"
		}
		return a.Account+"/"+a.Technology < b.Account+"/"+b.Technology
	})
	if p.Exceptions, err = w.st.ListExceptions(ctx, 10); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "dashboard", "Dashboard", "dashboard", p)
}

func andQuery(q string) string {
	if q == "" {
		return ""
	}
	return "&" + q
}

type dashFigures struct {
	scores []store.TechScore
	points []int
	new24  int
}

// figures reads the aggregate figures (issue scores by technology, the
// 30-day trend) on every view: they are sums over the counts the writers
// keep (docs/decisions.md).
func (w *Web) figures(ctx context.Context, ids []int64, now time.Time) (dashFigures, error) {
	scores, err := w.st.TechScores(ctx, ids)
	if err != nil {
		return dashFigures{}, err
	}
	points, new24, err := w.st.IssueTrend(ctx, ids, now, trendDays)
	if err != nil {
		return dashFigures{}, err
	}
	return dashFigures{scores: scores, points: points, new24: new24}, nil
}
