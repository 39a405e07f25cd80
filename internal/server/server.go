// Package server is the HTTP side of the runtime processes: /healthz,
// /readyz, /metrics, and the admin endpoint that puts scans on the queue.
package server

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

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
	// APIToken protects the admin endpoints (MONKEY_API_TOKEN). Empty: the
	// admin endpoints answer 403.
	APIToken config.Secret
}

// Deps are the server's dependencies. Nil Scans disables the admin
// endpoint (scheduler and worker processes).
type Deps struct {
	Registry *prometheus.Registry
	Checks   map[string]Check
	Scans    ScanEnqueuer
	Logger   *slog.Logger
}

// Server serves the runtime endpoints.
type Server struct {
	cfg  Config
	deps Deps
	log  *slog.Logger
	mux  *http.ServeMux

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
	s := &Server{cfg: cfg, deps: deps, log: deps.Logger.With("component", "http"), mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(deps.Registry, promhttp.HandlerOpts{Registry: deps.Registry}))
	s.mux.HandleFunc("POST /api/1/scans", s.admin(s.postScans))
	return s, nil
}

// Handler returns the HTTP handler (for embedding in the API mux and tests).
func (s *Server) Handler() http.Handler { return s.mux }

// Mux returns the mux so other packages can add routes before Start.
func (s *Server) Mux() *http.ServeMux { return s.mux }

// Start listens on cfg.Addr and serves in the background.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
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
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
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
	writeJSON(w, status, out)
}

// admin protects h with the bearer token. Until the user and session system
// exists, the token is the only way in; without a configured token the
// endpoint is closed.
func (s *Server) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		want := s.cfg.APIToken.Reveal()
		if want == "" {
			writeError(w, monkey.Errorf(monkey.EFORBIDDEN, "admin API disabled: set MONKEY_API_TOKEN"))
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="monkey"`)
			writeError(w, monkey.Errorf(monkey.EUNAUTHORIZED, "missing or wrong bearer token"))
			return
		}
		h(w, r)
	}
}

func (s *Server) postScans(w http.ResponseWriter, r *http.Request) {
	if s.deps.Scans == nil {
		writeError(w, monkey.Errorf(monkey.ENOTFOUND, "this process does not enqueue scans"))
		return
	}
	var req ScanRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, monkey.Errorf(monkey.EINVALID, "invalid JSON body: %v", err))
		return
	}
	resp, err := s.deps.Scans(r.Context(), req)
	if err != nil {
		if monkey.ErrorCode(err) == monkey.EINTERNAL {
			s.log.Error("enqueue scans failed", "error", err)
		}
		writeError(w, err)
		return
	}
	for _, l := range []*[]string{&resp.Tasks, &resp.Queued, &resp.Running} {
		if *l == nil {
			*l = []string{}
		}
	}
	writeJSON(w, http.StatusAccepted, resp)
}

// StatusOf maps an error code to an HTTP status.
func StatusOf(code string) int {
	switch code {
	case monkey.EINVALID:
		return http.StatusBadRequest
	case monkey.ENOTFOUND:
		return http.StatusNotFound
	case monkey.ECONFLICT:
		return http.StatusConflict
	case monkey.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case monkey.EFORBIDDEN:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// writeError writes {"error": message}; internal errors never leak text.
func writeError(w http.ResponseWriter, err error) {
	code := monkey.ErrorCode(err)
	msg := "internal error"
	var e *monkey.Error
	if code != monkey.EINTERNAL && errors.As(err, &e) {
		msg = e.Message
	}
	writeJSON(w, StatusOf(code), map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
