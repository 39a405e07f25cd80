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
