package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestUIOnDemo drives the web UI of the built binary (`monkey demo`: the
// simulated AWS organisation scanned into SQLite) in headless Chromium: the
// printed Admin signs in, the dashboard shows its charts, the open issues
// list leads to an insecure item, the issue is justified and moves to the
// justified list, sign out — with no CSP violation or script error.
func TestUIOnDemo(t *testing.T) {
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		skipOrFail(t, "chromium is not installed (apt-get install chromium; .ci/run installs it)")
	}
	c := &cluster{t: t, dir: t.TempDir()}
	t.Cleanup(c.stopAll)
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	demo := c.start("demo", nil, "demo", "--listen", addr, "--db", c.dir+"/demo.db")
	pw := regexp.MustCompile(`password: (\S+)`)
	var password string
	c.waitFor("the demo's sign-in", 3*time.Minute, func() (bool, string) {
		b, _ := os.ReadFile(demo.log + ".stdout")
		if m := pw.FindSubmatch(b); m != nil {
			password = string(m[1])
			return true, ""
		}
		if !demo.alive() {
			t.Fatalf("demo exited: %s", demo.tail(20))
		}
		return false, demo.tail(5)
	})
	out, _ := os.ReadFile(demo.log + ".stdout")
	require.Contains(t, string(out), "Web UI: http://"+addr+"/")

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		require.NoError(t, chromedp.Do(sctx, actions...), "step %s", name)
	}
	text := func(sel string) string {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
		require.NoError(t, err, "read %s", sel)
		return v
	}
	base := "http://" + addr
	step("sign in",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "admin@demo.local"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#h-tech + svg rect.bar")),
		chromedp.WaitVisible(chromedp.CSS("#h-trend + svg polyline")),
	)
	step("insecure items",
		chromedp.Navigate(base+"/search?type=issues"),
		chromedp.WaitVisible(chromedp.CSS(`table.results a[href^="/items/"]`)),
		chromedp.Click(chromedp.CSS(`table.results a[href^="/items/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#issues input[name="issue"]`)),
	)
	item := text("h1")
	step("justify",
		chromedp.Click(chromedp.CSS(`#issues input[name="issue"]`)),
		chromedp.SendKeys(chromedp.CSS("#justification"), "accepted by the e2e test"),
		chromedp.Click(chromedp.CSS(`button[formaction$="/justify"]`)),
		chromedp.WaitVisible(chromedp.CSS("p.notice")),
	)
	require.Contains(t, text("#issues"), "accepted by the e2e test")
	step("justified list",
		chromedp.Navigate(base+"/search?type=justified"),
		chromedp.WaitVisible(chromedp.CSS(`table.results`)),
	)
	require.Contains(t, text("table.results"), strings.TrimSpace(item))
	step("status", chromedp.Navigate(base+"/status"), chromedp.WaitVisible(chromedp.CSS("#h-scans")))

	// A change in the simulated account, collected by find-changes against
	// the demo's database: the item page shows two revisions and their diff.
	printed := string(out)
	endpoint := regexp.MustCompile(`curl -X POST (\S+)/_sim/mutate`).FindStringSubmatch(printed)
	account := regexp.MustCompile(`"account":"(\d+)"`).FindStringSubmatch(printed)
	dbURL := regexp.MustCompile(`MONKEY_DATABASE_URL=(\S+) monkey status`).FindStringSubmatch(printed)
	require.NotNil(t, endpoint, printed)
	require.NotNil(t, account, printed)
	require.NotNil(t, dbURL, printed)
	var mutated map[string]any
	require.NoError(t, c.httpJSON("POST", endpoint[1]+"/_sim/mutate",
		map[string]any{"account": account[1], "technology": "securitygroup", "count": 2}, &mutated))
	c.env = append(baseEnv(), "MONKEY_DATABASE_URL="+dbURL[1], "AWS_ENDPOINT_URL="+endpoint[1], "AWS_ACCESS_KEY_ID=demo",
		"AWS_SECRET_ACCESS_KEY=demo", "AWS_REGION=us-east-1")
	c.mustRun("find-changes", "-m", "securitygroup")
	step("a changed item",
		chromedp.Navigate(base+"/search?type=revisions&technologies=securitygroup"),
		chromedp.WaitVisible(chromedp.CSS(`table.results a[href^="/items/"]`)),
		chromedp.Click(chromedp.CSS(`table.results a[href^="/items/"]`)),
		chromedp.WaitVisible(chromedp.CSS("#timeline table.diff")),
	)
	require.Contains(t, text("#timeline"), "Revision 2")
	step("compare", chromedp.Click(chromedp.CSS(`#timeline a[href^="/compare?"]`)),
		chromedp.WaitVisible(chromedp.CSS("table.diff tbody tr")))
	step("sign out",
		chromedp.Click(chromedp.CSS("form.signout button")),
		chromedp.WaitVisible(chromedp.CSS("#email")),
	)
	cancelB()
	<-done
	mu.Lock()
	defer mu.Unlock()
	require.Empty(t, problems, "CSP violations or script errors")
}
