package awssim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a simulated AWS endpoint. The zero value is usable.
type Options struct {
	Accounts int   // number of simulated accounts (default 3)
	Seed     int64 // seed of every generated id, name and timestamp
	Items    int   // resources of each technology per account (default 5)
	// ItemsPer overrides Items for some technologies (index → count), e.g.
	// {"securitygroup": 100000, "iamrole": 100000} for the benchmark account.
	ItemsPer map[string]int
	Regions  []string     // enabled regions (default us-east-1, us-west-2, eu-west-1)
	Logger   *slog.Logger // default: discard

	// OptInRegions are listed by ec2:DescribeRegions only with AllRegions=true,
	// with OptInStatus "not-opted-in" (default af-south-1). Set to an empty
	// non-nil slice for none.
	OptInRegions []string
	// Now is the clock (default time.Now). It is read once by New to anchor
	// the "age" of access keys and login profiles (so that output stays
	// deterministic for the life of the server) and on every AssumeRole to
	// compute the credential expiration.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Accounts <= 0 {
		o.Accounts = 3
	}
	if o.Items <= 0 {
		o.Items = 5
	}
	if len(o.Regions) == 0 {
		o.Regions = []string{"us-east-1", "us-west-2", "eu-west-1"}
	}
	if o.OptInRegions == nil {
		o.OptInRegions = []string{"af-south-1"}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// validate checks opts; known reports whether a technology index is served.
func (o Options) validate(known func(string) error) error {
	var errs []error
	if o.Accounts > 1000 {
		errs = append(errs, fmt.Errorf("accounts %d: at most 1000", o.Accounts))
	}
	if o.Items > 10_000_000 {
		errs = append(errs, fmt.Errorf("items %d: at most 10000000", o.Items))
	}
	for _, name := range slices.Sorted(maps.Keys(o.ItemsPer)) {
		if err := known(name); err != nil {
			errs = append(errs, fmt.Errorf("items per technology: %w", err))
		}
		if n := o.ItemsPer[name]; n < 0 || n > 10_000_000 {
			errs = append(errs, fmt.Errorf("items for %s: %d is not in 0..10000000", name, n))
		}
	}
	seen := map[string]bool{}
	for _, r := range append(slices.Clone(o.Regions), o.OptInRegions...) {
		if r == "" || strings.ContainsAny(r, " /<>&\"'") {
			errs = append(errs, fmt.Errorf("region %q: invalid name", r))
		}
		if seen[r] {
			errs = append(errs, fmt.Errorf("region %q: listed twice", r))
		}
		seen[r] = true
	}
	return errors.Join(errs...)
}

// httpTimeouts bound the connections of the HTTP server started by Start.
type httpTimeouts struct {
	readHeader, read, write, idle time.Duration
}

// defaultTimeouts: a request (headers and body; SDK bodies are small) must
// arrive within 30 s; a reply may be delayed by the injected latency (at most
// maxLatency) and must then be written within 30 s; an idle keep-alive
// connection is closed after 60 s.
func defaultTimeouts() httpTimeouts {
	return httpTimeouts{
		readHeader: 10 * time.Second,
		read:       30 * time.Second,
		write:      maxLatency + 30*time.Second,
		idle:       60 * time.Second,
	}
}

// Server is a simulated AWS endpoint. Create it with New.
type Server struct {
	opts     Options
	log      *slog.Logger
	epoch    time.Time // fixed, derived from the seed: creation dates
	anchor   time.Time // Options.Now() at New, truncated to the day: key ages
	reqID    atomic.Uint64
	timeouts httpTimeouts

	services    map[string][]*service // by signing name (several: told apart by apiVersion)
	resources   map[string]*resource  // by technology index
	resourceSvc map[string]string     // technology index → service id
	controls    map[string]control    // "METHOD /_sim/path" → endpoint
	ext         map[string]any        // service name → its server-wide state

	mu       sync.RWMutex // guards accounts' mutable state
	accounts []*account
	byID     map[string]*account

	faultMu sync.Mutex
	faults  Faults
	rng     *rand.Rand

	callMu sync.Mutex
	calls  map[string]map[string]int

	srvMu    sync.Mutex
	httpSrv  *http.Server
	listener net.Listener
	done     chan struct{}
}

// New builds a simulated endpoint with deterministic state derived from
// opts.Seed, serving the built-in services.
func New(opts Options) (*Server, error) { return newServer(opts, builtinServices()) }

// newServer builds a server for the given services (tests add services of
// their own).
func newServer(opts Options, svcs []*service) (*Server, error) {
	opts = opts.withDefaults()
	s := &Server{
		opts:        opts,
		log:         opts.Logger,
		epoch:       seedEpoch(opts.Seed),
		anchor:      opts.Now().UTC().Truncate(24 * time.Hour),
		timeouts:    defaultTimeouts(),
		services:    map[string][]*service{},
		resources:   map[string]*resource{},
		resourceSvc: map[string]string{},
		controls:    map[string]control{},
		ext:         map[string]any{},
		byID:        map[string]*account{},
		rng:         rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed)),
		calls:       map[string]map[string]int{},
	}
	for _, c := range baseControls() {
		s.controls[c.method+" "+c.path] = c
	}
	if err := s.register(svcs); err != nil {
		return nil, fmt.Errorf("awssim services: %w", err)
	}
	if err := opts.validate(func(index string) error { _, err := s.resource(index); return err }); err != nil {
		return nil, fmt.Errorf("awssim options: %w", err)
	}
	for i := range opts.Accounts {
		id := s.accountID(i)
		for s.byID[id] != nil { // astronomically unlikely; keep ids unique
			n, _ := strconv.Atoi(id)
			id = fmt.Sprintf("%012d", (n+7919)%1_000_000_000_000)
		}
		a := s.newAccount(i, id)
		s.accounts = append(s.accounts, a)
		s.byID[id] = a
	}
	for _, svc := range svcs {
		if svc.newState != nil {
			s.ext[svc.name] = svc.newState(s)
		}
		if svc.newAccountState != nil {
			for _, a := range s.accounts {
				a.ext[svc.name] = svc.newAccountState(s, a)
			}
		}
	}
	return s, nil
}

// nextAccount is the account after a, wrapping around: the "other simulated
// account" of cross-account references (a itself when there is one account).
func (s *Server) nextAccount(a *account) *account { return s.accounts[(a.idx+1)%len(s.accounts)] }

// AccountIDs returns the 12-digit ids of the simulated accounts, in order.
// Requests signed with a base (non-AssumeRole) key act in the first one.
func (s *Server) AccountIDs() []string {
	ids := make([]string, len(s.accounts))
	for i, a := range s.accounts {
		ids[i] = a.id
	}
	return ids
}

// Handler returns the HTTP handler serving the AWS wire protocols and /_sim/.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Start listens on addr (":0" picks a free port) and serves in the background.
// It returns the endpoint URL, e.g. "http://127.0.0.1:41234".
//
// The server bounds every connection: the request (headers and body) must
// arrive within 30 s, a reply must be written within 90 s (the injected
// latency is capped at 60 s, so a delayed reply still has 30 s), and an idle
// keep-alive connection is closed after 60 s.
func (s *Server) Start(addr string) (string, error) {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.httpSrv != nil {
		return "", errors.New("awssim: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("awssim listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: s.timeouts.readHeader,
		ReadTimeout:       s.timeouts.read,
		WriteTimeout:      s.timeouts.write,
		IdleTimeout:       s.timeouts.idle,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.httpSrv, s.listener, s.done = srv, ln, make(chan struct{})
	go func() {
		defer close(s.done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("awssim serve", "error", err)
		}
	}()
	return endpointURL(ln.Addr()), nil
}

// Close stops a server started with Start. It is safe to call twice and on a
// server that was never started.
func (s *Server) Close() error {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.httpSrv == nil {
		return nil
	}
	// Shutdown waits for connections in state "new" (dialled by a client
	// pool but never used) for 5 s; after a short grace, close them all.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := s.httpSrv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.httpSrv.Close()
	}
	<-s.done
	s.httpSrv = nil
	if err != nil {
		return fmt.Errorf("awssim close: %w", err)
	}
	return nil
}

// Run listens on addr, prints one JSON line {"endpoint":"http://…","accounts":[…]}
// to out once ready, and serves until ctx is done.
func Run(ctx context.Context, addr string, opts Options, out io.Writer) error {
	s, err := New(opts)
	if err != nil {
		return err
	}
	endpoint, err := s.Start(addr)
	if err != nil {
		return err
	}
	line, err := json.Marshal(struct {
		Endpoint string   `json:"endpoint"`
		Accounts []string `json:"accounts"`
	}{endpoint, s.AccountIDs()})
	if err != nil {
		return errors.Join(fmt.Errorf("awssim ready line: %w", err), s.Close())
	}
	if _, err := fmt.Fprintf(out, "%s\n", line); err != nil {
		return errors.Join(fmt.Errorf("awssim ready line: %w", err), s.Close())
	}
	s.log.Info("awssim serving", "endpoint", endpoint, "accounts", len(s.accounts))
	<-ctx.Done()
	return s.Close()
}

func endpointURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	host := "127.0.0.1"
	if !tcp.IP.IsUnspecified() {
		host = tcp.IP.String()
		if tcp.IP.To4() == nil {
			host = "[" + host + "]"
		}
	}
	return fmt.Sprintf("http://%s:%d", host, tcp.Port)
}

func (s *Server) requestID() string {
	n := s.reqID.Add(1)
	return fmt.Sprintf("5e1a0000-0000-4000-8000-%012x", n)
}
