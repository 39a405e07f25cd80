package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os/user"
	"slices"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/policy"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/status"
	"github.com/secmonkey/monkey/internal/store"
	webui "github.com/secmonkey/monkey/internal/web"
)

// authService builds the sign-in service on the store.
func (a *App) authService(st *store.Store) (*auth.Service, error) {
	c := a.Config.Auth
	return auth.New(auth.Config{
		IdleTimeout: c.SessionIdle, AbsoluteTimeout: c.SessionAbsolute,
		Groups: auth.Groups{Admin: c.AdminGroup, Justify: c.JustifyGroup, View: c.ViewGroup},
	}, st, a.Logger, nil)
}

// webConfig is the server's view of the API settings; addr is the listen
// address (its port is API_PORT in login URLs).
func (a *App) webConfig(addr string) (server.Web, error) {
	c := a.Config.Auth
	proxies, err := c.Proxies()
	if err != nil {
		return server.Web{}, err
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		port = "5000"
	}
	return server.Web{
		FQDN: a.Config.FQDN, APIPort: port, NginxPort: c.NginxPort, WebPort: c.WebPort, FrontedByNginx: c.FrontedByNginx,
		CSRFEnabled: c.CSRFEnabled, CSRFSSLStrict: c.CSRFSSLStrict, CookieSecure: c.CookieSecure, TrustedProxies: proxies,
		HeaderAuth: server.HeaderAuth{Enabled: c.UseHeaderAuth, UserHeader: c.HeaderUser, GroupsHeader: c.HeaderGroups,
			DefaultRole: c.HeaderDefaultRole},
	}, nil
}

// baseURL is the absolute base of SSO redirect URLs (BASE_URL, else from
// FQDN, else the listen address).
func (a *App) baseURL(addr string) string {
	c := a.Config.Auth
	switch {
	case c.BaseURL != "":
		return strings.TrimSuffix(c.BaseURL, "/")
	case a.Config.FQDN != "" && c.FrontedByNginx:
		return "https://" + a.Config.FQDN + ":" + c.NginxPort
	case a.Config.FQDN != "":
		_, port, _ := net.SplitHostPort(addr)
		return "http://" + a.Config.FQDN + ":" + port
	}
	return "http://" + addr
}

// providers builds the active SSO providers.
func (a *App) providers(addr string) ([]*auth.Provider, error) {
	c := a.Config.Auth
	var out []*auth.Provider
	base := a.baseURL(addr)
	for _, name := range c.ActiveProviders {
		var pc auth.ProviderConfig
		switch name {
		case "oidc":
			pc = auth.ProviderConfig{ID: "oidc", Name: c.OIDC.Name, Issuer: c.OIDC.Issuer, ClientID: c.OIDC.ClientID,
				ClientSecret: c.OIDC.ClientSecret.Reveal(), RedirectURL: c.OIDC.RedirectURL, Scopes: c.OIDC.Scopes,
				GroupsClaim: c.OIDC.GroupsClaim, DefaultRole: c.OIDC.DefaultRole}
		case "okta":
			pc = auth.ProviderConfig{ID: "okta", Name: c.Okta.Name,
				Issuer:   strings.TrimSuffix(c.Okta.BaseURL, "/") + "/oauth2/" + c.Okta.AuthServer,
				ClientID: c.Okta.ClientID, ClientSecret: c.Okta.ClientSecret.Reveal(), RedirectURL: c.Okta.RedirectURI,
				Scopes: []string{"openid", "email", "profile", "groups"}, DefaultRole: c.Okta.DefaultRole}
		default:
			continue // rejected by config validation
		}
		if pc.RedirectURL == "" {
			pc.RedirectURL = base + "/api/1/auth/" + pc.ID
		}
		p, err := auth.NewProvider(pc, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// withAPI adds the REST API, the sign-in pages and the authenticator to
// the server configuration of an API process listening on addr.
func (a *App) withAPI(st *store.Store, addr string, cfg *server.Config, deps *server.Deps) error {
	svc, err := a.authService(st)
	if err != nil {
		return err
	}
	web, err := a.webConfig(addr)
	if err != nil {
		return err
	}
	provs, err := a.providers(addr)
	if err != nil {
		return err
	}
	techs, err := a.Techs()
	if err != nil {
		return err
	}
	methods := map[string][]string{}
	for _, c := range techs.Auditors().Checks() {
		t, _, _ := strings.Cut(c.ID, ".")
		if k := c.OverrideKey(); !slices.Contains(methods[t], k) {
			methods[t] = append(methods[t], k)
		}
	}
	cat, err := policy.LoadCatalogue()
	if err != nil {
		return err
	}
	ui, err := webui.New(webui.Deps{Store: st, Technologies: a.Technologies(), Logger: a.Logger, Catalogue: cat,
		Status: func(ctx context.Context) webui.Status { return uiStatus(status.Gather(ctx, a.liveStatusSources(ctx))) }})
	if err != nil {
		return err
	}
	h, err := api.New(api.Deps{Store: st, Auth: svc, Providers: provs, Technologies: a.Technologies(), TechMethods: methods,
		WebPath: a.Config.Auth.WebPath, Logger: a.Logger, LoginPage: ui.Login})
	if err != nil {
		return err
	}
	routes := h.Routes()
	pages, err := ui.Routes(routes)
	if err != nil {
		return err
	}
	cfg.Web = web
	deps.Auth = svc
	deps.Routes = append(routes, pages...)
	deps.ErrorPage = ui.ErrorPage
	deps.Version = "1"
	return nil
}

// uiStatus is the status of `monkey status` for the web UI's status page.
func uiStatus(st status.Status) webui.Status {
	out := webui.Status{Database: st.Database, Broker: st.Broker, Leader: st.Leader, Standbys: st.Standbys, Errors: st.Errors}
	for _, w := range st.Workers {
		sw := webui.StatusWorker{ID: w.ID, Host: w.Host, PID: w.PID, Concurrency: w.Concurrency, Started: w.Started}
		for _, f := range w.InFlight {
			sw.Running = append(sw.Running, f.Account+"/"+f.Technology)
		}
		out.Workers = append(out.Workers, sw)
	}
	if q := st.Queue; q != nil {
		out.Queue = &webui.StatusQueue{Pending: q.Pending, Active: q.Active, Scheduled: q.Scheduled, Retry: q.Retry,
			Failed: q.Archived, Completed: q.Completed}
	}
	if n := st.Notifications; n != nil {
		out.Notifications = &webui.StatusNotifications{Pending: n.Pending, Sent: n.Sent, Failed: n.Failed}
		for _, f := range n.Recent {
			out.Notifications.Recent = append(out.Notifications.Recent, webui.StatusNotification{Kind: f.Kind,
				Channel: f.Channel, Recipient: f.Recipient, Subject: f.Subject, Error: f.Error, Attempts: f.Attempts, Created: f.Created})
		}
	}
	for _, sc := range st.Scans {
		out.Scans = append(out.Scans, webui.StatusScan{Account: sc.Account, Technology: sc.Technology, LastStart: sc.LastStart,
			LastEnd: sc.LastEnd, Outcome: sc.Outcome, Items: sc.Items, Error: sc.Error})
	}
	return out
}

// cliAction records a command-line write in the action log.
func (a *App) cliAction(ctx context.Context, st *store.Store, action, target string, after any) error {
	who := "cli"
	if u, err := user.Current(); err == nil && u.Username != "" {
		who = "cli:" + u.Username
	}
	act := store.Action{At: time.Now().UTC(), User: who, Source: "cli", Action: action, Target: target}
	if after != nil {
		b := fmt.Sprint(after)
		if j, err := jsonString(after); err == nil {
			b = j
		}
		act.After = &b
	}
	return st.RecordAction(ctx, act)
}

// readSecret reads a password from stdin: the first line, without its end.
func readSecret(a *App) (string, error) {
	buf := make([]byte, 0, 128)
	one := make([]byte, 1)
	for len(buf) < 4096 {
		n, err := a.Stdin.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				break
			}
			buf = append(buf, one[0])
		}
		if err != nil {
			break
		}
	}
	return strings.TrimSuffix(string(buf), "\r"), nil
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
