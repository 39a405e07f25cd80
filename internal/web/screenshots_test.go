package web_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

var screenshots = flag.String("screenshots", "", "write PNGs of the main pages into this directory (make screenshots)")

// TestScreenshots writes desktop-width PNGs of the main pages (make
// screenshots → docs/screenshots/); it runs only with -screenshots.
func TestScreenshots(t *testing.T) {
	if *screenshots == "" {
		t.Skip("run with -screenshots=DIR (make screenshots)")
	}
	br := newBrowser(t)
	b := setup(t, "sqlite", options{})
	require.NoError(t, os.MkdirAll(*screenshots, 0o755))
	br.signIn(b, "Admin")
	for _, p := range []struct{ name, path, wait string }{
		{"login", "/login?signed_out=1", "#email"},
		{"dashboard", "/", "#h-tech"},
		{"search", "/search?type=issues", "#results-h"},
		{"item", fmt.Sprintf("/items/%d", b.seed.logs), "#h-timeline"},
		{"compare", fmt.Sprintf("/compare?left=%d&right=%d", b.seed.logsRevs[1], b.seed.logsRevs[0]), "table.diff"},
		{"settings", "/settings/auditor", "#h-aud"},
	} {
		if p.name == "login" {
			br.step("sign out for the login page", chromedp.Navigate(b.url+"/logout"))
		}
		br.step("open "+p.name, chromedp.Navigate(b.url+p.path), chromedp.WaitVisible(css(p.wait)))
		png := []byte(br.value("screenshot "+p.name, func() chromedp.Action[string] {
			return chromedp.Action[string](func(ctx context.Context, tg *chromedp.Target) (string, error) {
				b, err := chromedp.FullScreenshot(100)(ctx, tg)
				return string(b), err
			})
		}()))
		require.NoError(t, os.WriteFile(filepath.Join(*screenshots, p.name+".png"), png, 0o644))
		if p.name == "login" {
			br.signIn(b, "Admin")
		}
	}
}
