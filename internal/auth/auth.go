// Package auth signs people and programs in: local passwords (argon2id),
// server-side sessions kept in the database, login throttling, API tokens
// stored as hashes, OpenID Connect providers and header authentication
// behind trusted proxies. It is transport-neutral: internal/server reads
// cookies and headers and calls it.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

// Methods by which a request is authenticated.
const (
	MethodSession = "session"
	MethodToken   = "token"
	MethodHeader  = "header"
)

// Config configures the Service.
type Config struct {
	IdleTimeout     time.Duration // sliding session lifetime (60 min)
	AbsoluteTimeout time.Duration // session lifetime from sign-in (12 h)
	// Throttling: more failures than these within FailureWindow → 429.
	MaxFailuresPerEmail int
	MaxFailuresPerIP    int
	FailureWindow       time.Duration
	Groups              Groups
	Hash                HashParams
}

// WithDefaults fills zero fields.
func (c Config) WithDefaults() Config {
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 60 * time.Minute
	}
	if c.AbsoluteTimeout <= 0 {
		c.AbsoluteTimeout = 12 * time.Hour
	}
	if c.MaxFailuresPerEmail <= 0 {
		c.MaxFailuresPerEmail = 5
	}
	if c.MaxFailuresPerIP <= 0 {
		c.MaxFailuresPerIP = 20
	}
	if c.FailureWindow <= 0 {
		c.FailureWindow = 15 * time.Minute
	}
	if c.Hash == (HashParams{}) {
		c.Hash = DefaultHashParams
	}
	return c
}

// Groups map SSO and header groups to roles on user creation (ADMIN_GROUP,
// JUSTIFY_GROUP, VIEW_GROUP; checked in that order).
type Groups struct {
	Admin, Justify, View string
}

// Role returns the role for a new user in groups, or def.
func (g Groups) Role(groups []string, def string) string {
	has := func(name string) bool {
		if name == "" {
			return false
		}
		for _, x := range groups {
			if strings.EqualFold(strings.TrimSpace(x), name) {
				return true
			}
		}
		return false
	}
	switch {
	case has(g.Admin):
		return monkey.RoleAdmin
	case has(g.Justify):
		return monkey.RoleJustify
	case has(g.View):
		return monkey.RoleView
	}
	return def
}

// Store is what the Service needs from the database.
type Store interface {
	UserByEmail(ctx context.Context, email string) (monkey.User, error)
	CreateUser(ctx context.Context, u *monkey.User) error
	UpdateUser(ctx context.Context, u monkey.User) error
	RecordLogin(ctx context.Context, id int64, ip string) error
	CreateSession(ctx context.Context, se store.Session) error
	SessionUser(ctx context.Context, idHash string) (store.Session, monkey.User, error)
	TouchSession(ctx context.Context, idHash string, seen, idleExpires time.Time) error
	DeleteSession(ctx context.Context, idHash string) error
	PurgeSessions(ctx context.Context, now time.Time) (int, error)
	CreateToken(ctx context.Context, t *store.Token) error
	TokenUser(ctx context.Context, hash string) (store.Token, monkey.User, error)
	TouchToken(ctx context.Context, id int64, at time.Time) error
	RecordLoginFailure(ctx context.Context, email, ip string, at time.Time) error
	CountLoginFailures(ctx context.Context, email, ip string, since time.Time) (store.LoginFailures, error)
	ClearLoginFailures(ctx context.Context, email string) error
	PurgeLoginFailures(ctx context.Context, before time.Time) error
}

// Service authenticates requests and manages sessions, tokens and
// passwords.
type Service struct {
	cfg    Config
	st     Store
	hasher *Hasher
	log    *slog.Logger
	now    func() time.Time
}

// New builds the Service. now nil = time.Now.
func New(cfg Config, st Store, logger *slog.Logger, now func() time.Time) (*Service, error) {
	cfg = cfg.WithDefaults()
	h, err := NewHasher(cfg.Hash)
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Service{cfg: cfg, st: st, hasher: h, log: logger.With("component", "auth"), now: now}, nil
}

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

// Hasher returns the password hasher.
func (s *Service) Hasher() *Hasher { return s.hasher }

// Identity is who a request acts as. A zero Identity is anonymous.
type Identity struct {
	User    monkey.User
	Method  string // "" (anonymous), MethodSession, MethodToken, MethodHeader
	Session store.Session
	TokenID int64
}

// Anonymous reports whether no one is signed in.
func (id Identity) Anonymous() bool { return id.Method == "" }

// NewSession is a session just started: Token goes in the cookie.
type NewSession struct {
	Token   string
	Session store.Session
}

// Throttled is returned when too many sign-ins failed; RetryAfter says
// when to try again. It unwraps to an ETOOMANY *monkey.Error.
type Throttled struct {
	Wait time.Duration
}

func (t *Throttled) Error() string {
	return "too many failed sign-ins: try again later"
}

// RetryAfter is read by the HTTP error writer (Retry-After header).
func (t *Throttled) RetryAfter() time.Duration { return t.Wait }

// Unwrap gives the error code.
func (t *Throttled) Unwrap() error {
	return &monkey.Error{Code: monkey.ETOOMANY, Message: t.Error()}
}

// ErrBadCredentials is the one answer to a wrong e-mail or password: it
// does not tell whether the user exists.
var ErrBadCredentials = &monkey.Error{Code: monkey.EUNAUTHORIZED, Message: "Invalid e-mail or password"}

func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// RandomToken returns 32 random bytes, base64url-encoded (XSRF tokens of
// anonymous clients).
func RandomToken() (string, error) { return randomToken(32) }

// HashToken is the stored form of a session or API token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NormalizeEmail trims and lowers an e-mail address (how users are found).
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Login checks an e-mail and password from client ip, and starts a
// session. Unknown users and wrong passwords fail alike, in the same time.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (NewSession, monkey.User, error) {
	email = NormalizeEmail(email)
	now := s.now().UTC()
	since := now.Add(-s.cfg.FailureWindow)
	f, err := s.st.CountLoginFailures(ctx, email, ip, since)
	if err != nil {
		return NewSession{}, monkey.User{}, err
	}
	if f.Email >= s.cfg.MaxFailuresPerEmail || f.IP >= s.cfg.MaxFailuresPerIP {
		until := f.OldestEmail
		if f.IP >= s.cfg.MaxFailuresPerIP && (f.Email < s.cfg.MaxFailuresPerEmail || f.OldestIP.After(until)) {
			until = f.OldestIP
		}
		wait := until.Add(s.cfg.FailureWindow).Sub(now)
		wait = time.Duration(math.Ceil(wait.Seconds())) * time.Second
		if wait < time.Second {
			wait = time.Second
		}
		s.log.Warn("sign-in throttled", "email", email, "client_ip", ip, "retry_after_s", wait.Seconds())
		return NewSession{}, monkey.User{}, &Throttled{Wait: wait}
	}
	u, err := s.st.UserByEmail(ctx, email)
	ok := false
	switch {
	case err == nil:
		ok = s.hasher.Verify(u.PasswordHash, password) && u.Active
	case monkey.ErrorCode(err) == monkey.ENOTFOUND:
		s.hasher.Waste(password)
	default:
		return NewSession{}, monkey.User{}, err
	}
	if !ok {
		if err := s.st.RecordLoginFailure(ctx, email, ip, now); err != nil {
			return NewSession{}, monkey.User{}, err
		}
		s.log.Info("sign-in failed", "email", email, "client_ip", ip)
		return NewSession{}, monkey.User{}, ErrBadCredentials
	}
	if err := s.st.ClearLoginFailures(ctx, email); err != nil {
		return NewSession{}, monkey.User{}, err
	}
	ns, err := s.StartSession(ctx, u, ip, userAgent)
	if err != nil {
		return NewSession{}, monkey.User{}, err
	}
	if fresh, err := s.st.UserByEmail(ctx, email); err == nil {
		u = fresh // with the login just recorded
	}
	return ns, u, nil
}

// StartSession starts a new session for u (a new id at every sign-in) and
// records the login.
func (s *Service) StartSession(ctx context.Context, u monkey.User, ip, userAgent string) (NewSession, error) {
	if !u.Active {
		return NewSession{}, monkey.Errorf(monkey.EUNAUTHORIZED, "this user is disabled")
	}
	now := s.now().UTC()
	token, err := randomToken(32)
	if err != nil {
		return NewSession{}, err
	}
	csrf, err := randomToken(32)
	if err != nil {
		return NewSession{}, err
	}
	if len(userAgent) > 512 {
		userAgent = userAgent[:512]
	}
	se := store.Session{IDHash: HashToken(token), UserID: u.ID, CSRFToken: csrf, Created: now, LastSeen: now,
		IdleExpires: now.Add(s.cfg.IdleTimeout), AbsoluteExpires: now.Add(s.cfg.AbsoluteTimeout), IP: ip, UserAgent: userAgent}
	if err := s.st.CreateSession(ctx, se); err != nil {
		return NewSession{}, err
	}
	if err := s.st.RecordLogin(ctx, u.ID, ip); err != nil {
		return NewSession{}, err
	}
	// Housekeeping: expired sessions and old failures go at each sign-in.
	if _, err := s.st.PurgeSessions(ctx, now); err != nil {
		s.log.Warn("purge expired sessions failed", "error", err)
	}
	if err := s.st.PurgeLoginFailures(ctx, now.Add(-24*time.Hour)); err != nil {
		s.log.Warn("purge login failures failed", "error", err)
	}
	s.log.Info("signed in", "email", u.Email, "client_ip", ip)
	return NewSession{Token: token, Session: se}, nil
}

// touchEvery bounds session and token writes: activity is recorded at
// most once a minute per session or token.
const touchEvery = time.Minute

// Session authenticates a session token. An unknown, expired or disabled
// user's session is EUNAUTHORIZED (expired sessions are deleted).
func (s *Service) Session(ctx context.Context, token string) (Identity, error) {
	if token == "" {
		return Identity{}, monkey.Errorf(monkey.EUNAUTHORIZED, "no session")
	}
	h := HashToken(token)
	se, u, err := s.st.SessionUser(ctx, h)
	if monkey.ErrorCode(err) == monkey.ENOTFOUND {
		return Identity{}, monkey.Errorf(monkey.EUNAUTHORIZED, "session expired or unknown")
	}
	if err != nil {
		return Identity{}, err
	}
	now := s.now().UTC()
	if !now.Before(se.IdleExpires) || !now.Before(se.AbsoluteExpires) || !u.Active {
		if err := s.st.DeleteSession(ctx, h); err != nil {
			return Identity{}, err
		}
		return Identity{}, monkey.Errorf(monkey.EUNAUTHORIZED, "session expired")
	}
	if now.Sub(se.LastSeen) >= touchEvery {
		idle := now.Add(s.cfg.IdleTimeout)
		if idle.After(se.AbsoluteExpires) {
			idle = se.AbsoluteExpires
		}
		if err := s.st.TouchSession(ctx, h, now, idle); err != nil {
			return Identity{}, err
		}
		se.LastSeen, se.IdleExpires = now, idle
	}
	return Identity{User: u, Method: MethodSession, Session: se}, nil
}

// Logout ends the session of token (no error when there is none).
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.st.DeleteSession(ctx, HashToken(token))
}

// TokenPrefix starts every API token, so that secret scanners can find
// leaked ones.
const TokenPrefix = "smk_"

// CreateToken creates an API token for user u, valid for ttl (0 = no
// expiry). The secret is returned once; only its hash is stored.
func (s *Service) CreateToken(ctx context.Context, u monkey.User, name string, ttl time.Duration) (string, store.Token, error) {
	return s.CreateTokenIn(ctx, s.st, u, name, ttl)
}

// TokenCreator stores tokens (the store, or a transaction of it).
type TokenCreator interface {
	CreateToken(ctx context.Context, t *store.Token) error
}

// CreateTokenIn is CreateToken writing through st (a transaction).
func (s *Service) CreateTokenIn(ctx context.Context, st TokenCreator, u monkey.User, name string, ttl time.Duration) (string, store.Token, error) {
	if ttl < 0 {
		return "", store.Token{}, monkey.FieldErrorf("expires", "the lifetime must not be negative")
	}
	if len(name) > 200 {
		return "", store.Token{}, monkey.FieldErrorf("name", "the name is longer than 200 characters")
	}
	r, err := randomToken(32)
	if err != nil {
		return "", store.Token{}, err
	}
	secret := TokenPrefix + r
	now := s.now().UTC()
	t := store.Token{UserID: u.ID, User: u.Email, Name: name, Hash: HashToken(secret), Prefix: secret[:len(TokenPrefix)+6], Created: now}
	if ttl > 0 {
		exp := now.Add(ttl)
		t.Expires = &exp
	}
	if err := st.CreateToken(ctx, &t); err != nil {
		return "", store.Token{}, err
	}
	return secret, t, nil
}

// Token authenticates an API token: the owner's current role applies; a
// revoked or expired token, or a disabled owner, is EUNAUTHORIZED.
func (s *Service) Token(ctx context.Context, secret string) (Identity, error) {
	bad := monkey.Errorf(monkey.EUNAUTHORIZED, "invalid, expired or revoked API token")
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 200 {
		return Identity{}, bad
	}
	t, u, err := s.st.TokenUser(ctx, HashToken(secret))
	if monkey.ErrorCode(err) == monkey.ENOTFOUND {
		return Identity{}, bad
	}
	if err != nil {
		return Identity{}, err
	}
	now := s.now().UTC()
	if t.Revoked != nil || (t.Expires != nil && !now.Before(*t.Expires)) || !u.Active {
		return Identity{}, bad
	}
	if t.LastUsed == nil || now.Sub(*t.LastUsed) >= touchEvery {
		if err := s.st.TouchToken(ctx, t.ID, now); err != nil {
			return Identity{}, err
		}
	}
	return Identity{User: u, Method: MethodToken, TokenID: t.ID}, nil
}

// ExternalUser returns the user signed in by an SSO provider or a trusted
// proxy header, creating it on first sight with the role its groups give
// (else def). Existing users keep their role; a disabled user is refused.
func (s *Service) ExternalUser(ctx context.Context, email string, groups []string, def string) (monkey.User, error) {
	email = NormalizeEmail(email)
	if email == "" {
		return monkey.User{}, monkey.Errorf(monkey.EUNAUTHORIZED, "the identity provider gave no e-mail address")
	}
	u, err := s.st.UserByEmail(ctx, email)
	if monkey.ErrorCode(err) == monkey.ENOTFOUND {
		u = monkey.User{Email: email, Active: true, Role: s.cfg.Groups.Role(groups, def)}
		if err := s.st.CreateUser(ctx, &u); err != nil {
			if monkey.ErrorCode(err) != monkey.ECONFLICT {
				return monkey.User{}, err
			}
			// Created meanwhile by a concurrent request.
			if u, err = s.st.UserByEmail(ctx, email); err != nil {
				return monkey.User{}, err
			}
		} else {
			s.log.Info("user created at first sign-in", "email", email, "role", u.Role)
		}
	} else if err != nil {
		return monkey.User{}, err
	}
	if !u.Active {
		return monkey.User{}, monkey.Errorf(monkey.EUNAUTHORIZED, "this user is disabled")
	}
	return u, nil
}

// CreateUser creates a local user with a password ("" = none: the user
// signs in through SSO or header auth only).
func (s *Service) CreateUser(ctx context.Context, email, role, password string) (monkey.User, error) {
	email = NormalizeEmail(email)
	if !strings.Contains(email, "@") {
		return monkey.User{}, monkey.FieldErrorf("email", "%q is not an e-mail address", email)
	}
	if role == "" {
		role = monkey.RoleView
	}
	if !monkey.ValidRole(role) {
		return monkey.User{}, monkey.FieldErrorf("role", "role must be View, Comment, Justify or Admin, not %q", role)
	}
	u := monkey.User{Email: email, Role: role, Active: true}
	if password != "" {
		if err := checkPassword(password); err != nil {
			return monkey.User{}, err
		}
		h, err := s.hasher.Hash(password)
		if err != nil {
			return monkey.User{}, err
		}
		u.PasswordHash = h
	}
	if err := s.st.CreateUser(ctx, &u); err != nil {
		return monkey.User{}, err
	}
	return u, nil
}

// SetPassword sets the password of user u (every session of the user
// ends) and returns the updated user.
func (s *Service) SetPassword(ctx context.Context, u monkey.User, password string) (monkey.User, error) {
	if err := checkPassword(password); err != nil {
		return monkey.User{}, err
	}
	h, err := s.hasher.Hash(password)
	if err != nil {
		return monkey.User{}, err
	}
	u.PasswordHash = h
	if err := s.st.UpdateUser(ctx, u); err != nil {
		return monkey.User{}, err
	}
	return u, nil
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

func checkPassword(p string) error {
	switch {
	case len(p) < MinPasswordLength:
		return monkey.FieldErrorf("password", "the password must have at least %d characters", MinPasswordLength)
	case len(p) > 1024:
		return monkey.FieldErrorf("password", "the password must have at most 1024 characters")
	}
	return nil
}

// IsAuthError reports whether err means "not signed in".
func IsAuthError(err error) bool {
	return monkey.ErrorCode(err) == monkey.EUNAUTHORIZED && !errors.Is(err, context.Canceled)
}
