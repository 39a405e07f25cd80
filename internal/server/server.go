// Package server is the HTTP side of every process: /healthz, /readyz,
// /metrics, and, in the API process, the route table of the REST API and
// the pages with their middleware (authentication, role checks,
// cross-origin and XSRF protection, body limit, security headers) and the
// one error writer.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/config"
	"github.com/secmonkey/monkey/internal/monkey"
)

// Check is one readiness dependency (database, broker).
type Check func(ctx context.Context) error

// ScanRequest is the body of POST /api/1/scans.
type ScanRequest struct {
	Accounts     []string `json:"accounts"`
	Technologies []string `json:"technologies"`
}

// ScanResponse is the answer of POST /api/1/scans. A pair whose manual
// scan is still queued or running is not enqueued again: it is listed in
// Queued or Running (and counted in Duplicates).
type ScanResponse struct {
	Enqueued   int      `json:"enqueued"`
	Duplicates int      `json:"duplicates"`
	Tasks      []string `json:"tasks"`
	Queued     []string `json:"queued"`
	Running    []string `json:"running"`
}

// ScanEnqueuer puts the requested scans on the queue now.
type ScanEnqueuer func(ctx context.Context, req ScanRequest) (ScanResponse, error)

// Config configures the server.
type Config struct {
	Addr string
	// EphemeralWhenBusy: when Addr is in use, listen on an ephemeral port
	// of the same host instead (logged at start). For default addresses
	// only: an address the user chose stays an error when busy.
	EphemeralWhenBusy bool
	// APIToken is the runtime's admin bearer token (MONKEY_API_TOKEN),
	// accepted as an Admin on routes marked AdminToken. Empty: refused.
	APIToken config.Secret
	Web      Web
}

// Web configures the API and pages: login URL, cookies, CSRF, proxies.
type Web struct {
	FQDN           string
	APIPort        string
	NginxPort      string
	WebPort        string
	FrontedByNginx bool
	CSRFEnabled    bool
	CSRFSSLStrict  bool
	CookieSecure   string // "", "true", "false"
	TrustedProxies []netip.Prefix
	HeaderAuth     HeaderAuth
}

// HeaderAuth is authentication by a header of a trusted proxy.
type HeaderAuth struct {
	Enabled      bool
	UserHeader   string
	GroupsHeader string
	DefaultRole  string
}

// Authenticator checks credentials (internal/auth.Service).
type Authenticator interface {
	Session(ctx context.Context, token string) (auth.Identity, error)
	Token(ctx context.Context, secret string) (auth.Identity, error)
	ExternalUser(ctx context.Context, email string, groups []string, def string) (monkey.User, error)
}

// Deps are the server's dependencies. Nil Scans disables the admin scan
// endpoint and nil Auth serves no API (scheduler and worker processes).
type Deps struct {
	Registry *prometheus.Registry
	Checks   map[string]Check
	Scans    ScanEnqueuer
	Logger   *slog.Logger
	Auth     Authenticator
	// Routes are the API and page routes (internal/api, internal/web).
	Routes []Route
	// Version is the program version shown in the OpenAPI document.
	Version string
	// ErrorPage answers the errors of page routes (Route.Page) as HTML:
	// refusals, CSRF failures and handler errors (nil: JSON as the API).
	ErrorPage func(w http.ResponseWriter, r *http.Request, status int, message string)
}

// Server serves the runtime endpoints.
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	mux     *http.ServeMux
	handler http.Handler
	cop     *http.CrossOriginProtection
	origins map[string]bool
	routes  []Route

	mu   sync.Mutex
	srv  *http.Server
	ln   net.Listener
	done chan struct{}
}

// New builds the server.
func New(cfg Config, deps Deps) (*Server, error) {
	if deps.Registry == nil {
		return nil, errors.New("server: no metrics registry")
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, deps: deps, log: deps.Logger.With("component", "http"), mux: http.NewServeMux(),
		cop: http.NewCrossOriginProtection(), origins: map[string]bool{}}
	if cfg.Web.FQDN != "" {
		for _, port := range []string{cfg.Web.WebPort, cfg.Web.APIPort, cfg.Web.NginxPort, "80"} {
			if port == "" {
				continue
			}
			o := "https://" + cfg.Web.FQDN + ":" + port
			s.origins[o] = true
			if err := s.cop.AddTrustedOrigin(o); err != nil {
				return nil, fmt.Errorf("server: trusted origin %s: %w", o, err)
			}
		}
	}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(deps.Registry, promhttp.HandlerOpts{Registry: deps.Registry}))
	routes := append([]Route(nil), deps.Routes...)
	if deps.Scans != nil {
		routes = append(routes, s.scansRoute())
	}
	if len(deps.Routes) > 0 {
		routes = append(routes, OpenAPIRoute(s.Routes, deps.Version))
	}
	if len(deps.Routes) > 0 && deps.Auth == nil {
		return nil, errors.New("server: routes without an authenticator")
	}
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		switch {
		case rt.Handler == nil:
			return nil, fmt.Errorf("server: %s: %w", key, errNoHandler)
		case monkey.RoleRank(rt.Role) < 0:
			return nil, fmt.Errorf("server: %s: unknown role %q", key, rt.Role)
		case seen[key]:
			return nil, fmt.Errorf("server: %s: listed twice", key)
		}
		seen[key] = true
		s.mux.Handle(key, s.handle(rt))
	}
	s.routes = routes
	s.handler = s.recoverPanics(securityHeaders(s.cors(limitBody(s.mux))))
	return s, nil
}

// Routes returns the served route table (with the admin scan route when
// enabled).
func (s *Server) Routes() []Route { return s.routes }

// Handler returns the HTTP handler (for embedding and tests).
func (s *Server) Handler() http.Handler { return s.handler }

// ConnTimeouts are the connection deadlines of the HTTP servers (API,
// metrics).
type ConnTimeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

// Timeouts returns the servers' connection deadlines: a request (headers
// and body) must arrive within 30 s, so a body sent a byte a second holds
// no handler; an idle keep-alive connection closes after 2 minutes; an
// answer must be written within 2 minutes, except the exports of large
// inventories, which lift their own write deadline
// (http.ResponseController, internal/api/exports.go).
func Timeouts() ConnTimeouts {
	return ConnTimeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 2 * time.Minute, Idle: 2 * time.Minute}
}

// Start listens on cfg.Addr and serves in the background.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil && s.cfg.EphemeralWhenBusy && errors.Is(err, syscall.EADDRINUSE) {
		host, _, _ := net.SplitHostPort(s.cfg.Addr)
		ln, err = (&net.ListenConfig{}).Listen(ctx, "tcp", net.JoinHostPort(host, "0"))
		if err == nil {
			s.log.Info("default address in use (another monkey process on this host?): listening on an ephemeral port",
				"default_addr", s.cfg.Addr, "addr", ln.Addr().String())
		}
	}
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	to := Timeouts()
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: to.ReadHeader,
		ReadTimeout:       to.Read,
		WriteTimeout:      to.Write,
		IdleTimeout:       to.Idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("http serve failed", "error", err)
		}
	}()
	s.log.Info("http listening", "addr", ln.Addr().String())
	return nil
}

// Addr returns the listening address once started.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Stop shuts the server down gracefully (bounded by ctx). Safe to call
// twice.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	srv, done := s.srv, s.done
	s.srv = nil
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, srv.Close())
	}
	<-done
	return err
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	out := map[string]string{}
	status := http.StatusOK
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range s.deps.Checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := "ok"
			if err := check(ctx); err != nil {
				res = "unreachable"
				s.log.Warn("readiness check failed", "check", name, "error", err)
			}
			mu.Lock()
			defer mu.Unlock()
			out[name] = res
			if res != "ok" {
				status = http.StatusServiceUnavailable
			}
		}()
	}
	wg.Wait()
	WriteJSON(w, status, out)
}

// scansRoute is POST /api/1/scans: Admin users, or the runtime's
// MONKEY_API_TOKEN.
func (s *Server) scansRoute() Route {
	return Route{Method: http.MethodPost, Pattern: "/api/1/scans", Role: monkey.RoleAdmin, Tag: "scans",
		Summary: "put scans of chosen accounts and technologies on the queue now", Request: ScanRequest{},
		Response: ScanResponse{}, Status: http.StatusAccepted, ErrorKey: "error", AdminToken: true, Handler: s.postScans}
}

func (s *Server) postScans(w http.ResponseWriter, r *http.Request) error {
	var req ScanRequest
	if err := DecodeJSON(r, &req); err != nil {
		return err
	}
	resp, err := s.deps.Scans(r.Context(), req)
	if err != nil {
		return err
	}
	for _, l := range []*[]string{&resp.Tasks, &resp.Queued, &resp.Running} {
		if *l == nil {
			*l = []string{}
		}
	}
	WriteJSON(w, http.StatusAccepted, resp)
	return nil
}
