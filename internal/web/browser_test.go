package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromium returns the headless browser's path. Without one the test is
// skipped on a laptop and fails in CI (CI=true).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed and CI=true: .ci/run installs it (apt-get install chromium)")
	}
	t.Skip("browser tests skipped: chromium is not installed (apt-get install chromium)")
	return ""
}

// TestBrowser drives the UI in headless Chromium (one browser for every
// step): sign in, search with a filter, open an item, justify an issue,
// compare two revisions, keyboard navigation; no page may log a CSP
// violation or a script error. On failure it saves a screenshot and the
// page's HTML.
func TestBrowser(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	b := setup(t, "sqlite", options{})

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 900), chromedp.Flag("disable-gpu", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	// The first Run starts the browser with the context's lifetime (no
	// timeout on it); each step gets its own deadline.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}

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
				problems = append(problems, m.String()+" ("+m.URL+")")
				mu.Unlock()
			}
		}
	}()
	defer func() { cancelB(); <-done }()

	artefacts := func(step string) {
		dir := filepath.Join(os.TempDir(), "monkey-ui-artefacts")
		_ = os.MkdirAll(dir, 0o755)
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		png, _ := chromedp.Run(sctx, chromedp.FullScreenshot(80))
		html, _ := chromedp.Run(sctx, chromedp.OuterHTML(chromedp.CSS("html")))
		name := strings.ReplaceAll(step, " ", "_")
		_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		_ = os.WriteFile(filepath.Join(dir, name+".html"), []byte(html), 0o644)
		t.Logf("artefacts of the failed step %q in %s", step, dir)
	}
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			artefacts(name)
			t.Fatalf("step %s: %v", name, err)
		}
	}
	value := func(name string, a chromedp.Action[string]) string {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		v, err := chromedp.Run(sctx, a)
		if err != nil {
			artefacts(name)
			t.Fatalf("step %s: %v", name, err)
		}
		return v
	}
	text := func(sel string) string { return value("read "+sel, chromedp.Text(chromedp.CSS(sel))) }
	eval := func(expr string) string { return value("eval "+expr, chromedp.Evaluate[string](expr)) }
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	blur := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](`document.activeElement.blur(), null`)(ctx, t)
		return err
	})

	step("sign in",
		chromedp.Navigate(b.url+"/"),
		chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), "justify@example.com"),
		chromedp.SendKeys(css("#password"), "password-Justify"),
		chromedp.Submit(css("#password")),
		chromedp.WaitVisible(css("#h-tech")),
	)
	require.Contains(t, text("header .who"), "justify@example.com")
	step("dashboard charts", chromedp.WaitVisible(css(`#h-tech + svg rect.bar`)),
		chromedp.WaitVisible(css(`#h-trend + svg polyline`)))

	step("search with a filter",
		chromedp.Navigate(b.url+"/search?type=items"),
		chromedp.WaitVisible(css("#f-searchconfig")),
		chromedp.SendKeys(css("#f-searchconfig"), "Deny"),
		chromedp.Submit(css("#f-searchconfig")),
		chromedp.WaitVisible(css(`#f-searchconfig[value="Deny"]`)),
		chromedp.WaitVisible(css(`table.results a[href^="/items/"]`)),
	)
	require.Contains(t, value("location", chromedp.Location()), "searchconfig=Deny")
	rows := text("table.results tbody")
	require.Contains(t, rows, "logs")
	require.NotContains(t, rows, "admin")

	step("open the item",
		chromedp.Click(css(`table.results a[href^="/items/"]`)),
		chromedp.WaitVisible(css("#h-timeline")),
	)
	require.Equal(t, "logs", strings.TrimSpace(text("h1")))

	step("justify an issue",
		chromedp.Click(css(fmt.Sprintf("#issue-%d", b.seed.internet))),
		chromedp.SendKeys(css("#justification"), "public website bucket"),
		chromedp.Click(css(`button[formaction$="/justify"]`)),
		chromedp.WaitVisible(css(`p.notice`)),
	)
	require.Contains(t, text("#issues"), "public website bucket")
	step("justified list",
		chromedp.Navigate(b.url+"/search?type=justified"),
		chromedp.WaitVisible(css("#results-h")),
	)
	require.Equal(t, "1 justified issues", strings.TrimSpace(text("#results-h")))

	step("compare two revisions",
		chromedp.Navigate(fmt.Sprintf("%s/items/%d", b.url, b.seed.logs)),
		chromedp.WaitVisible(css(`a[href^="/compare?"]`)),
		chromedp.Click(css(`a[href^="/compare?"]`)),
		chromedp.WaitVisible(css("table.diff tr.changed")),
	)
	require.Contains(t, text("table.diff"), "Policy.Statement.0.Effect")

	step("keyboard navigation",
		chromedp.Navigate(b.url+"/search?type=issues"),
		chromedp.WaitVisible(css("th button.sort")),
		// Tab from the top reaches the skip link first.
		chromedp.KeyEvent("\t"),
	)
	require.Equal(t, "skip", eval(`document.activeElement.className`))
	step("shortcut /", blur, chromedp.KeyEvent("/"))
	require.Equal(t, "f-searchconfig", eval(`document.activeElement.id`))
	step("shortcut j", blur, chromedp.KeyEvent("j"))
	require.True(t, strings.HasPrefix(eval(`document.activeElement.getAttribute("href") || ""`), "/items/"))

	step("sign out",
		chromedp.Click(css("form.signout button")),
		chromedp.WaitVisible(css("#email")),
	)
	require.Equal(t, "You are signed out.", text("p.notice"))

	cancelB()
	<-done
	mu.Lock()
	defer mu.Unlock()
	require.Empty(t, problems, "the browser reported CSP violations or script errors")
}
