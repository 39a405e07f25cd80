package api

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
)

// loginRequest is the JSON body of POST /login (forms send the same
// fields).
type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Next     string `json:"next,omitempty"`
}

type loginAnswer struct {
	Status string          `json:"status"`
	User   userJSON        `json:"user"`
	Auth   server.AuthInfo `json:"auth"`
	// CSRFToken is the XSRF token to send back in X-CSRFToken (also in the
	// XSRF-COOKIE cookie).
	CSRFToken string `json:"csrf_token"`
}

type logoutAnswer struct {
	Status string          `json:"status"`
	Auth   server.AuthInfo `json:"auth"`
}

// providerJSON is one SSO provider of /api/1/auth/providers.
type providerJSON struct {
	Name                  string   `json:"name"`
	ID                    string   `json:"id"`
	URL                   string   `json:"url"`
	LoginURL              string   `json:"login_url"`
	RedirectURI           string   `json:"redirectUri"`
	ClientID              string   `json:"clientId"`
	ResponseType          string   `json:"responseType"`
	Scope                 []string `json:"scope"`
	AuthorizationEndpoint string   `json:"authorizationEndpoint"`
}

func (a *API) authRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/login", Role: monkey.RoleAnonymous, Tag: "auth", Summary: "the sign-in form", Page: true,
			Produces: "text/html", Query: []server.Param{{Name: "next", Type: "string", Doc: "same-site path to go to after"}},
			Handler: a.loginForm},
		{Method: "POST", Pattern: "/login", Role: monkey.RoleAnonymous, Tag: "auth",
			Summary: "sign in with e-mail and password (form: 302 to next; JSON: 200)", Request: loginRequest{},
			Response: loginAnswer{}, ErrorKey: "message", Handler: a.login},
		{Method: "GET", Pattern: "/logout", Role: monkey.RoleAnonymous, Tag: "auth", Summary: "sign out",
			Response: logoutAnswer{}, Page: true, Handler: a.logout},
		{Method: "POST", Pattern: "/logout", Role: monkey.RoleAnonymous, Tag: "auth", Summary: "sign out",
			Response: logoutAnswer{}, Page: true, Handler: a.logout},
		{Method: "GET", Pattern: "/api/1/logout", Role: monkey.RoleAnonymous, Tag: "auth", Summary: "sign out",
			Response: logoutAnswer{}, Handler: a.logout},
		{Method: "GET", Pattern: "/healthcheck", Role: monkey.RoleAnonymous, Tag: "meta", Summary: "plain-text ok (the reference's health check)",
			Produces: "text/plain", Handler: healthcheck},
		{Method: "GET", Pattern: "/api/1/auth/providers", Role: monkey.RoleAnonymous, Tag: "auth",
			Summary: "the single sign-on providers", Response: []providerJSON{}, Handler: a.providers},
		{Method: "GET", Pattern: "/login/{provider}", Role: monkey.RoleAnonymous, Tag: "auth",
			Summary: "start signing in with an SSO provider (redirects to it)", Produces: "text/html",
			Query: []server.Param{{Name: "next", Type: "string", Doc: "same-site path to go to after"}}, Handler: a.ssoStart},
		{Method: "GET", Pattern: "/api/1/auth/{provider}", Role: monkey.RoleAnonymous, Tag: "auth", NoCSRF: true,
			Summary: "SSO callback (authorization code)", Produces: "text/html",
			Query: []server.Param{{Name: "code", Type: "string"}, {Name: "state", Type: "string"}}, Handler: a.ssoCallback},
		{Method: "POST", Pattern: "/api/1/auth/{provider}", Role: monkey.RoleAnonymous, Tag: "auth", NoCSRF: true,
			Summary: "SSO callback (form post)", Produces: "text/html", Handler: a.ssoCallback},
	}
}

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · Security Monkey</title></head>
<body><main>
<h1>Security Monkey</h1>
{{if .Error}}<p role="alert">{{.Error}}</p>{{end}}
{{if .SignedOut}}<p>You are signed out.</p>{{end}}
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="{{.CSRF}}">
<input type="hidden" name="next" value="{{.Next}}">
<p><label for="email">E-mail</label> <input id="email" name="email" type="email" autocomplete="username" required autofocus></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form>
{{range .Providers}}<p><a href="/login/{{.ID}}?next={{$.Next}}">Sign in with {{.Name}}</a></p>{{end}}
</main></body></html>
`))

// LoginPage is what the sign-in page shows: an error (wrong password,
// throttled), the signed-out state, the form's XSRF token and next page,
// and one button per SSO provider.
type LoginPage struct {
	Error     string
	Throttled bool
	SignedOut bool
	CSRF      string
	Next      string
	Providers []auth.ProviderConfig
}

func (a *API) renderLogin(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	d := LoginPage{Error: msg, Throttled: status == http.StatusTooManyRequests, SignedOut: r.URL.Query().Get("signed_out") != "", CSRF: server.CSRFToken(r.Context()),
		Next: server.SafeNext(r.FormValue("next"), "")}
	for _, p := range a.d.Providers {
		d.Providers = append(d.Providers, p.Config())
	}
	if a.d.LoginPage != nil {
		return a.d.LoginPage(w, r, status, d)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return loginPage.Execute(w, d)
}

func (a *API) loginForm(w http.ResponseWriter, r *http.Request) error {
	if id := server.IdentityFrom(r.Context()); id.Method == auth.MethodHeader || id.Method == auth.MethodSession {
		// Signed in already (e.g. by the proxy's header): go on.
		http.Redirect(w, r, server.SafeNext(r.URL.Query().Get("next"), a.d.WebPath), http.StatusFound)
		return nil
	}
	return a.renderLogin(w, r, http.StatusOK, "")
}

func isJSON(r *http.Request) bool {
	return strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "application/json")
}

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	form := !isJSON(r)
	if form {
		if err := r.ParseForm(); err != nil {
			return monkey.Errorf(monkey.EINVALID, "cannot read the form")
		}
		req = loginRequest{Email: r.PostFormValue("email"), Password: r.PostFormValue("password"), Next: r.PostFormValue("next")}
	} else if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Email) == "" {
		return monkey.FieldErrorf("email", "email is required")
	}
	if req.Password == "" {
		return monkey.FieldErrorf("password", "password is required")
	}
	ns, u, err := a.d.Auth.Login(r.Context(), req.Email, req.Password, server.ClientIP(r.Context()), r.UserAgent())
	if err != nil {
		if form && (auth.IsAuthError(err) || monkey.ErrorCode(err) == monkey.ETOOMANY) {
			status := http.StatusUnauthorized
			msg := "Invalid e-mail or password."
			if monkey.ErrorCode(err) == monkey.ETOOMANY {
				status, msg = http.StatusTooManyRequests, "Too many failed sign-ins: wait a few minutes and try again."
				var th *auth.Throttled
				if errors.As(err, &th) {
					w.Header().Set("Retry-After", strconv.Itoa(int(th.RetryAfter().Seconds())))
				}
			}
			return a.renderLogin(w, r, status, msg)
		}
		return err
	}
	server.SetSessionCookie(w, r, ns.Token, ns.Session.CSRFToken)
	if form {
		http.Redirect(w, r, server.SafeNext(req.Next, a.d.WebPath), http.StatusFound)
		return nil
	}
	// The answer's auth block is the new user's.
	email := u.Email
	info := server.AuthInfo{Authenticated: true, User: &email}
	for _, role := range monkey.RolesBelow(u.Role) {
		info.Roles = append(info.Roles, server.RoleName{Name: role})
	}
	server.WriteJSON(w, http.StatusOK, loginAnswer{Status: "signed in", User: userOf(u), Auth: info, CSRFToken: ns.Session.CSRFToken})
	return nil
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	if err := a.d.Auth.Logout(r.Context(), server.SessionToken(r)); err != nil {
		return err
	}
	server.ClearSessionCookie(w, r)
	if r.URL.Path == "/logout" && !strings.Contains(r.Header.Get("Accept"), "application/json") {
		http.Redirect(w, r, "/login?signed_out=1", http.StatusFound)
		return nil
	}
	server.WriteJSON(w, http.StatusOK, logoutAnswer{Status: "signed out", Auth: server.AuthInfo{URL: server.LoginURLOf(r)}})
	return nil
}

func (a *API) provider(r *http.Request) (*auth.Provider, error) {
	id := r.PathValue("provider")
	for _, p := range a.d.Providers {
		if p.Config().ID == id {
			return p, nil
		}
	}
	return nil, notFoundf("Unknown sign-in provider %q", truncate(id))
}

func (a *API) providers(w http.ResponseWriter, r *http.Request) error {
	out := []providerJSON{}
	for _, p := range a.d.Providers {
		c := p.Config()
		out = append(out, providerJSON{Name: c.Name, ID: c.ID, URL: "/api/1/auth/" + c.ID, LoginURL: "/login/" + c.ID,
			RedirectURI: c.RedirectURL, ClientID: c.ClientID, ResponseType: "code", Scope: c.Scopes,
			AuthorizationEndpoint: p.AuthorizationEndpoint(r.Context())})
	}
	server.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) ssoStart(w http.ResponseWriter, r *http.Request) error {
	p, err := a.provider(r)
	if err != nil {
		return err
	}
	flow, url, err := p.Begin(r.Context(), server.SafeNext(r.URL.Query().Get("next"), a.d.WebPath))
	if err != nil {
		return err
	}
	b, err := json.Marshal(flow)
	if err != nil {
		return err
	}
	server.SetFlowCookie(w, r, "/api/1/auth/"+p.Config().ID, base64.RawURLEncoding.EncodeToString(b))
	http.Redirect(w, r, url, http.StatusFound)
	return nil
}

func (a *API) ssoCallback(w http.ResponseWriter, r *http.Request) error {
	p, err := a.provider(r)
	if err != nil {
		return err
	}
	var flow auth.Flow
	raw, _ := base64.RawURLEncoding.DecodeString(server.TakeFlowCookie(w, r, "/api/1/auth/"+p.Config().ID))
	_ = json.Unmarshal(raw, &flow)
	if e := r.FormValue("error"); e != "" {
		return monkey.Errorf(monkey.EUNAUTHORIZED, "sign-in with %s refused: %s", p.Config().Name, truncate(e))
	}
	claims, err := p.Finish(r.Context(), flow, r.FormValue("state"), r.FormValue("code"))
	if err != nil {
		return err
	}
	u, err := a.d.Auth.ExternalUser(r.Context(), claims.Email, claims.Groups, p.Config().DefaultRole)
	if err != nil {
		return err
	}
	ns, err := a.d.Auth.StartSession(r.Context(), u, server.ClientIP(r.Context()), r.UserAgent())
	if err != nil {
		return err
	}
	server.SetSessionCookie(w, r, ns.Token, ns.Session.CSRFToken)
	http.Redirect(w, r, server.SafeNext(flow.Next, a.d.WebPath), http.StatusFound)
	return nil
}

func healthcheck(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := io.WriteString(w, "ok")
	return err
}
