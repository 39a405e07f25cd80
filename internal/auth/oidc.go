package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/secmonkey/monkey/internal/monkey"
)

// ProviderConfig configures one OpenID Connect provider (authorization
// code flow with PKCE and a nonce).
type ProviderConfig struct {
	ID           string // in URLs: /login/<ID>, callback /api/1/auth/<ID>
	Name         string // display name
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string
	Scopes       []string
	GroupsClaim  string // "groups" by default
	DefaultRole  string
}

// Provider is an OIDC provider. Discovery happens at first use, so a
// provider that is down does not stop the server from starting.
type Provider struct {
	cfg    ProviderConfig
	client *http.Client

	mu       sync.Mutex
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
	authURL  string
}

// providerTimeout bounds each call to the identity provider (discovery,
// keys, token exchange): a provider that hangs must not hold a sign-in
// request, or the server's shutdown, for ever.
const providerTimeout = 15 * time.Second

// NewProvider returns a provider; client nil = a client of its own with a
// 15-second timeout (never http.DefaultClient: no timeout, and its shared
// transport's idle connections are closed by unrelated code).
func NewProvider(cfg ProviderConfig, client *http.Client) (*Provider, error) {
	if cfg.ID == "" || cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, fmt.Errorf("oidc provider %q: id, issuer, client id and redirect url are required", cfg.ID)
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = "groups"
	}
	if cfg.DefaultRole == "" {
		cfg.DefaultRole = monkey.RoleView
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{oidc.ScopeOpenID, "email", "profile"}
	}
	if client == nil {
		client = &http.Client{Timeout: providerTimeout, Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	return &Provider{cfg: cfg, client: client}, nil
}

// Config returns the provider configuration.
func (p *Provider) Config() ProviderConfig { return p.cfg }

func (p *Provider) discover(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oauth != nil {
		return p.oauth, p.verifier, nil
	}
	prov, err := oidc.NewProvider(oidc.ClientContext(ctx, p.client), p.cfg.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("oidc provider %s: discover %s: %w", p.cfg.ID, p.cfg.Issuer, err)
	}
	scopes := p.cfg.Scopes
	hasOpenID := false
	for _, s := range scopes {
		hasOpenID = hasOpenID || s == oidc.ScopeOpenID
	}
	if !hasOpenID {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
	}
	p.oauth = &oauth2.Config{ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret, RedirectURL: p.cfg.RedirectURL,
		Endpoint: prov.Endpoint(), Scopes: scopes}
	p.verifier = prov.Verifier(&oidc.Config{ClientID: p.cfg.ClientID})
	p.authURL = prov.Endpoint().AuthURL
	return p.oauth, p.verifier, nil
}

// AuthorizationEndpoint returns the provider's authorization URL ("" when
// discovery failed).
func (p *Provider) AuthorizationEndpoint(ctx context.Context) string {
	if _, _, err := p.discover(ctx); err != nil {
		return ""
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.authURL
}

// Flow is the state of one sign-in between the redirect and the callback
// (kept in a short-lived cookie of the browser).
type Flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"r"` // same-site path to return to
}

// Begin starts a sign-in: the flow to remember and the URL to send the
// browser to.
func (p *Provider) Begin(ctx context.Context, next string) (Flow, string, error) {
	oc, _, err := p.discover(ctx)
	if err != nil {
		return Flow{}, "", err
	}
	state, err := randomToken(24)
	if err != nil {
		return Flow{}, "", err
	}
	nonce, err := randomToken(24)
	if err != nil {
		return Flow{}, "", err
	}
	f := Flow{State: state, Nonce: nonce, Verifier: oauth2.GenerateVerifier(), Next: next}
	return f, oc.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(f.Verifier)), nil
}

// Claims are what the provider says about the user.
type Claims struct {
	Email  string
	Groups []string
}

// Finish exchanges the code of the callback for tokens, verifies the ID
// token (signature, issuer, audience, expiry, nonce) and returns its claims.
func (p *Provider) Finish(ctx context.Context, f Flow, state, code string) (Claims, error) {
	bad := func(format string, args ...any) error {
		return monkey.Errorf(monkey.EUNAUTHORIZED, "sign-in with %s failed: "+format, append([]any{p.cfg.Name}, args...)...)
	}
	if f.State == "" || state != f.State {
		return Claims{}, bad("the sign-in state does not match (start again from the login page)")
	}
	if code == "" {
		return Claims{}, bad("no authorization code")
	}
	oc, verifier, err := p.discover(ctx)
	if err != nil {
		return Claims{}, err
	}
	ctx = oidc.ClientContext(ctx, p.client)
	tok, err := oc.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return Claims{}, fmt.Errorf("%w (%v)", bad("the code exchange was refused"), err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Claims{}, bad("no ID token in the answer")
	}
	idt, err := verifier.Verify(ctx, raw)
	if err != nil {
		return Claims{}, fmt.Errorf("%w (%v)", bad("the ID token is not valid"), err)
	}
	if idt.Nonce != f.Nonce {
		return Claims{}, bad("the ID token nonce does not match")
	}
	var all map[string]json.RawMessage
	if err := idt.Claims(&all); err != nil {
		return Claims{}, fmt.Errorf("%w (%v)", bad("unreadable claims"), err)
	}
	var c Claims
	if v, ok := all["email"]; ok {
		_ = json.Unmarshal(v, &c.Email)
	}
	if v, ok := all[p.cfg.GroupsClaim]; ok {
		if json.Unmarshal(v, &c.Groups) != nil {
			var one string
			if json.Unmarshal(v, &one) == nil && one != "" {
				c.Groups = []string{one}
			}
		}
	}
	if c.Email == "" {
		// Some providers put the e-mail only in the userinfo answer.
		prov, err := oidc.NewProvider(ctx, p.cfg.Issuer)
		if err == nil {
			if ui, err := prov.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil {
				c.Email = ui.Email
			}
		}
	}
	if c.Email == "" {
		return Claims{}, bad("the provider gave no e-mail address")
	}
	return c, nil
}
