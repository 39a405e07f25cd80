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

// browser is one headless Chromium for a test, with the messages of its
// console (CSP violations, script errors).
type browser struct {
	t        *testing.T
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	exe := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 900), chromedp.Flag("disable-gpu", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	// The first Run starts the browser with the context's lifetime (no
	// timeout on it); each step gets its own deadline.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancelB()
		cancelA()
		t.Fatalf("start chromium: %v", err)
	}
	br := &browser{t: t, ctx: ctx}
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				br.mu.Lock()
				br.problems = append(br.problems, m.String()+" ("+m.URL+")")
				br.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		cancelB()
		<-done
		cancelA()
	})
	return br
}

// artefacts saves a screenshot and the HTML of the page of a failed step.
func (br *browser) artefacts(step string) {
	dir := filepath.Join(os.TempDir(), "monkey-ui-artefacts")
	_ = os.MkdirAll(dir, 0o755)
	sctx, cancel := context.WithTimeout(br.ctx, 10*time.Second)
	defer cancel()
	png, _ := chromedp.Run(sctx, chromedp.FullScreenshot(80))
	html, _ := chromedp.Run(sctx, chromedp.OuterHTML(chromedp.CSS("html")))
	name := strings.ReplaceAll(step, " ", "_")
	_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	_ = os.WriteFile(filepath.Join(dir, name+".html"), []byte(html), 0o644)
	br.t.Logf("artefacts of the failed step %q in %s", step, dir)
}

func (br *browser) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	br.t.Helper()
	sctx, cancel := context.WithTimeout(br.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		br.artefacts(name)
		br.t.Fatalf("step %s: %v", name, err)
	}
}

func (br *browser) value(name string, a chromedp.Action[string]) string {
	br.t.Helper()
	sctx, cancel := context.WithTimeout(br.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		br.artefacts(name)
		br.t.Fatalf("step %s: %v", name, err)
	}
	return v
}

func (br *browser) text(sel string) string {
	br.t.Helper()
	return br.value("read "+sel, chromedp.Text(chromedp.CSS(sel)))
}

func (br *browser) eval(expr string) string {
	br.t.Helper()
	return br.value("eval "+expr, chromedp.Evaluate[string](expr))
}

// signIn signs in with the role's test user.
func (br *browser) signIn(b *bundle, role string) {
	br.t.Helper()
	br.step("sign in as "+role,
		chromedp.Navigate(b.url+"/logout"),
		chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), strings.ToLower(role)+"@example.com"),
		chromedp.SendKeys(css("#password"), "password-"+role),
		chromedp.Submit(css("#password")),
		chromedp.WaitVisible(css("#h-tech")),
	)
}

func (br *browser) checkConsole() {
	br.t.Helper()
	br.mu.Lock()
	defer br.mu.Unlock()
	require.Empty(br.t, br.problems, "the browser reported CSP violations or script errors")
}

func css(s string) chromedp.CSS { return chromedp.CSS(s) }

// script runs JavaScript in the page as a step.
func script(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](js+"; null")(ctx, t)
		return err
	})
}

var blur = script(`document.activeElement.blur()`)

// TestBrowser drives the UI in headless Chromium (one browser for every
// step): sign in, the dashboard's charts, a filtered search whose address
// reproduces it, an item, a justification, the justified list, a
// comparison, keyboard navigation, a settings round trip, a View user
// without justify control, sign out; no page may log a CSP violation or a
// script error. On failure it saves a screenshot and the page's HTML.
func TestBrowser(t *testing.T) {
	t.Parallel()
	br := newBrowser(t)
	b := setup(t, "sqlite", options{})

	br.signIn(b, "Justify")
	require.Contains(t, br.text("header .who"), "justify@example.com")
	br.step("dashboard charts", chromedp.WaitVisible(css(`#h-tech + svg rect.bar`)),
		chromedp.WaitVisible(css(`#h-trend + svg polyline`)))

	br.step("search with a filter",
		chromedp.Navigate(b.url+"/search?type=items"),
		chromedp.WaitVisible(css("#f-searchconfig")),
		chromedp.SendKeys(css("#f-searchconfig"), "Deny"),
		chromedp.Submit(css("#f-searchconfig")),
		chromedp.WaitVisible(css(`#f-searchconfig[value="Deny"]`)),
		chromedp.WaitVisible(css(`table.results a[href^="/items/"]`)),
	)
	loc := br.value("location", chromedp.Location())
	require.Contains(t, loc, "searchconfig=Deny")
	rows := br.text("table.results tbody")
	require.Contains(t, rows, "logs")
	require.NotContains(t, rows, "admin")
	// The address reproduces the search.
	br.step("reload the search", chromedp.Navigate(loc), chromedp.WaitVisible(css(`table.results`)))
	require.Equal(t, rows, br.text("table.results tbody"))

	br.step("open the item",
		chromedp.Click(css(`table.results a[href^="/items/"]`)),
		chromedp.WaitVisible(css("#h-timeline")),
	)
	require.Equal(t, "logs", strings.TrimSpace(br.text("h1")))
	require.Contains(t, br.text("#timeline"), "Revision 2")
	require.Contains(t, br.text("#timeline table.diff"), "Policy.Statement.0.Effect")

	br.step("justify an issue",
		chromedp.Click(css(fmt.Sprintf("#issue-%d", b.seed.internet))),
		chromedp.SendKeys(css("#justification"), "public website bucket"),
		chromedp.Click(css(`button[formaction$="/justify"]`)),
		chromedp.WaitVisible(css(`p.notice`)),
	)
	require.Contains(t, br.text("#issues"), "public website bucket")
	br.step("justified list",
		chromedp.Navigate(b.url+"/search?type=justified"),
		chromedp.WaitVisible(css("#results-h")),
	)
	require.Equal(t, "1 justified issues", strings.TrimSpace(br.text("#results-h")))

	br.step("compare two revisions",
		chromedp.Navigate(fmt.Sprintf("%s/items/%d", b.url, b.seed.logs)),
		chromedp.WaitVisible(css(`a[href^="/compare?"]`)),
		chromedp.Click(css(`a[href^="/compare?"]`)),
		chromedp.WaitVisible(css("table.diff tr.changed")),
	)
	require.Contains(t, br.text("table.diff"), "Policy.Statement.0.Effect")

	br.step("keyboard navigation",
		chromedp.Navigate(b.url+"/search?type=issues"),
		chromedp.WaitVisible(css("th button.sort")),
		// Tab from the top reaches the skip link first.
		chromedp.KeyEvent("\t"),
	)
	require.Equal(t, "skip", br.eval(`document.activeElement.className`))
	br.step("shortcut /", blur, chromedp.KeyEvent("/"))
	require.Equal(t, "f-searchconfig", br.eval(`document.activeElement.id`))
	br.step("shortcut j", blur, chromedp.KeyEvent("j"))
	require.True(t, strings.HasPrefix(br.eval(`document.activeElement.getAttribute("href") || ""`), "/items/"))

	br.signIn(b, "Admin")
	br.step("settings: add a whitelist entry",
		chromedp.Navigate(b.url+"/settings/whitelist"),
		chromedp.WaitVisible(css("#wl-name")),
		chromedp.SendKeys(css("#wl-name"), "office"),
		chromedp.SendKeys(css("#wl-cidr"), "10.1.0.0/16"),
		chromedp.Submit(css("#wl-cidr")),
		chromedp.WaitVisible(css("p.notice")),
	)
	require.Contains(t, br.text("#main table"), "10.1.0.0/16")
	br.step("settings: edit it",
		chromedp.Click(css("#main table details summary")),
		chromedp.WaitVisible(css(`#main table input[name="cidr"]`)),
		script(`document.querySelector('#main table input[name="cidr"]').value = "10.2.0.0/16"`),
		chromedp.Submit(css(`#main table input[name="cidr"]`)),
		chromedp.WaitVisible(css("p.notice")),
	)
	require.Contains(t, br.text("#main table"), "10.2.0.0/16")
	br.step("settings: delete it (confirmed)",
		script(`window.confirm = () => true`),
		chromedp.Click(css(`#main table button.danger`)),
		// The notice of the add is visible until the page is replaced.
		chromedp.WaitNotPresent(css(`#main table button.danger`)),
		chromedp.WaitVisible(css("p.notice")),
	)
	require.Contains(t, br.text("#main"), "No whitelisted network.")
	br.step("settings: the new-account form shows the chosen type's fields",
		chromedp.Navigate(b.url+"/settings/accounts"),
		chromedp.WaitVisible(css("#a-role_name")),
		chromedp.SetValue(css("#a-type"), "GCP"),
		script(`document.querySelector("#a-type").dispatchEvent(new Event("change"))`),
		chromedp.WaitVisible(css("#a-creds_file")),
		chromedp.WaitNotVisible(css("#a-role_name")),
	)

	br.signIn(b, "View")
	br.step("a View user sees no justify control",
		chromedp.Navigate(fmt.Sprintf("%s/items/%d", b.url, b.seed.logs)),
		chromedp.WaitVisible(css("#h-issues")),
	)
	require.Equal(t, "0", br.eval(`String(document.querySelectorAll('input[name="issue"], button[formaction$="/justify"]').length)`))

	br.step("sign out",
		chromedp.Click(css("form.signout button")),
		chromedp.WaitVisible(css("#email")),
	)
	require.Equal(t, "You are signed out.", br.text("p.notice"))
	br.checkConsole()
}
