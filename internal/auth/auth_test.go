package auth_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/crypto/bcrypt"

	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
	"github.com/secmonkey/monkey/internal/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fastHash keeps tests quick; production uses DefaultHashParams.
var fastHash = auth.HashParams{Memory: 64, Time: 1, Threads: 1}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type bundle struct {
	st    *store.Store
	svc   *auth.Service
	clock *clock
}

func setup(t *testing.T, engine string, cfg auth.Config) bundle {
	t.Helper()
	st := storetest.New(t, engine)
	c := &clock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	cfg.Hash = fastHash
	svc, err := auth.New(cfg, st, nil, c.now)
	require.NoError(t, err)
	return bundle{st: st, svc: svc, clock: c}
}

func forEachEngine(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, e := range storetest.Engines(t) {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			fn(t, e)
		})
	}
}

func TestPasswords(t *testing.T) {
	t.Parallel()
	h, err := auth.NewHasher(fastHash)
	require.NoError(t, err)
	hash, err := h.Hash("correct horse")
	require.NoError(t, err)
	require.Contains(t, hash, "$argon2id$v=19$m=64,t=1,p=1$")
	require.True(t, h.Verify(hash, "correct horse"))
	require.False(t, h.Verify(hash, "correct horsE"))
	other, err := h.Hash("correct horse")
	require.NoError(t, err)
	require.NotEqual(t, hash, other, "salted")
	b, err := bcrypt.GenerateFromPassword([]byte("legacy pw"), bcrypt.MinCost)
	require.NoError(t, err)
	require.True(t, h.Verify(string(b), "legacy pw"), "bcrypt hashes are accepted")
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=x$y$z", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA"} {
		require.False(t, h.Verify(bad, "anything"), bad)
	}
	_, err = auth.NewHasher(auth.HashParams{})
	require.Error(t, err)
}

func TestGroupsRole(t *testing.T) {
	t.Parallel()
	g := auth.Groups{Admin: "sec-admins", Justify: "sec-justify", View: "staff"}
	for _, tc := range []struct {
		groups []string
		want   string
	}{
		{nil, "Comment"},
		{[]string{"staff"}, "View"},
		{[]string{"staff", "SEC-Justify"}, "Justify"},
		{[]string{"sec-justify", "sec-admins"}, "Admin"},
		{[]string{"other"}, "Comment"},
	} {
		require.Equal(t, tc.want, g.Role(tc.groups, "Comment"), "%v", tc.groups)
	}
	require.Equal(t, "View", auth.Groups{}.Role([]string{""}, "View"), "unset group names match nothing")
}

func TestLoginAndSessions(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, auth.Config{})
		ctx := context.Background()
		u, err := b.svc.CreateUser(ctx, " Alice@Example.com ", "Justify", "s3cret-pass")
		require.NoError(t, err)
		require.Equal(t, "alice@example.com", u.Email)
		_, err = b.svc.CreateUser(ctx, "bob@example.com", "View", "short")
		require.Equal(t, "password", fieldOf(err))
		_, err = b.svc.CreateUser(ctx, "bob@example.com", "Boss", "long enough")
		require.Equal(t, "role", fieldOf(err))

		_, _, err = b.svc.Login(ctx, "alice@example.com", "wrong-pass", "10.0.0.1", "test")
		require.ErrorIs(t, err, auth.ErrBadCredentials)
		_, _, err = b.svc.Login(ctx, "nobody@example.com", "wrong-pass", "10.0.0.1", "test")
		require.ErrorIs(t, err, auth.ErrBadCredentials, "same answer for an unknown user")

		ns, got, err := b.svc.Login(ctx, "ALICE@example.com", "s3cret-pass", "10.0.0.1", "test")
		require.NoError(t, err)
		require.Equal(t, u.ID, got.ID)
		require.NotEmpty(t, ns.Token)
		require.NotEqual(t, ns.Token, ns.Session.IDHash, "only the hash is stored")
		require.NotEmpty(t, ns.Session.CSRFToken)
		again, _, err := b.svc.Login(ctx, "alice@example.com", "s3cret-pass", "10.0.0.1", "test")
		require.NoError(t, err)
		require.NotEqual(t, ns.Token, again.Token, "a new session id at each sign-in")
		tracked, err := b.st.User(ctx, u.ID)
		require.NoError(t, err)
		require.Equal(t, 2, tracked.LoginCount)
		require.Equal(t, "10.0.0.1", tracked.CurrentLoginIP)

		id, err := b.svc.Session(ctx, ns.Token)
		require.NoError(t, err)
		require.Equal(t, auth.MethodSession, id.Method)
		require.Equal(t, "Justify", id.User.Role)

		// Sliding idle timeout: activity every 50 minutes keeps it alive
		// until the 12-hour absolute limit.
		for i := 0; i < 15; i++ {
			b.clock.add(50 * time.Minute)
			_, err = b.svc.Session(ctx, ns.Token)
			if b.clock.now().Before(ns.Session.AbsoluteExpires) {
				require.NoError(t, err, "after %d × 50 min", i+1)
			} else {
				require.True(t, auth.IsAuthError(err), "after %d × 50 min", i+1)
			}
		}
		_, err = b.svc.Session(ctx, ns.Token)
		require.True(t, auth.IsAuthError(err), "past the absolute timeout")

		// Idle for 61 minutes: expired.
		ns2, _, err := b.svc.Login(ctx, "alice@example.com", "s3cret-pass", "10.0.0.1", "test")
		require.NoError(t, err)
		b.clock.add(61 * time.Minute)
		_, err = b.svc.Session(ctx, ns2.Token)
		require.True(t, auth.IsAuthError(err))

		// A new password ends the sessions; logout ends one.
		ns3, _, err := b.svc.Login(ctx, "alice@example.com", "s3cret-pass", "10.0.0.1", "test")
		require.NoError(t, err)
		cur, err := b.st.User(ctx, u.ID)
		require.NoError(t, err)
		_, err = b.svc.SetPassword(ctx, cur, "new-s3cret-pass")
		require.NoError(t, err)
		_, err = b.svc.Session(ctx, ns3.Token)
		require.True(t, auth.IsAuthError(err))
		ns4, _, err := b.svc.Login(ctx, "alice@example.com", "new-s3cret-pass", "10.0.0.1", "test")
		require.NoError(t, err)
		require.NoError(t, b.svc.Logout(ctx, ns4.Token))
		_, err = b.svc.Session(ctx, ns4.Token)
		require.True(t, auth.IsAuthError(err))
		_, err = b.svc.Session(ctx, "")
		require.True(t, auth.IsAuthError(err))

		// A disabled user cannot sign in, with the same answer.
		cur, err = b.st.User(ctx, u.ID)
		require.NoError(t, err)
		cur.Active = false
		require.NoError(t, b.st.UpdateUser(ctx, cur))
		_, _, err = b.svc.Login(ctx, "alice@example.com", "new-s3cret-pass", "10.0.0.2", "test")
		require.ErrorIs(t, err, auth.ErrBadCredentials)
	})
}

func fieldOf(err error) string {
	var e *monkey.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

func TestThrottling(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, auth.Config{})
		ctx := context.Background()
		_, err := b.svc.CreateUser(ctx, "alice@example.com", "View", "s3cret-pass")
		require.NoError(t, err)
		for i := 0; i < 5; i++ {
			_, _, err := b.svc.Login(ctx, "alice@example.com", "wrong", "10.0.0.1", "")
			require.ErrorIs(t, err, auth.ErrBadCredentials, i)
			b.clock.add(time.Minute)
		}
		// The sixth try is refused even with the right password, until the
		// first failure leaves the 15-minute window.
		_, _, err = b.svc.Login(ctx, "alice@example.com", "s3cret-pass", "10.0.0.1", "")
		var th *auth.Throttled
		require.ErrorAs(t, err, &th)
		require.Equal(t, monkey.ETOOMANY, monkey.ErrorCode(err))
		require.Equal(t, 10*time.Minute, th.RetryAfter())
		b.clock.add(10 * time.Minute)
		_, _, err = b.svc.Login(ctx, "alice@example.com", "s3cret-pass", "10.0.0.1", "")
		require.NoError(t, err)

		// 20 failures from one address, over many e-mails, block it.
		for i := 0; i < 20; i++ {
			_, _, err := b.svc.Login(ctx, "user"+string(rune('a'+i))+"@example.com", "x", "10.0.0.9", "")
			require.ErrorIs(t, err, auth.ErrBadCredentials, i)
		}
		_, _, err = b.svc.Login(ctx, "alice@example.com", "s3cret-pass", "10.0.0.9", "")
		require.ErrorAs(t, err, &th)
		require.Equal(t, 15*time.Minute, th.RetryAfter())
		_, _, err = b.svc.Login(ctx, "alice@example.com", "s3cret-pass", "10.0.0.8", "")
		require.NoError(t, err, "another address is not blocked")
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, auth.Config{})
		ctx := context.Background()
		u, err := b.svc.CreateUser(ctx, "ci@example.com", "View", "")
		require.NoError(t, err)
		secret, tok, err := b.svc.CreateToken(ctx, u, "ci", time.Hour)
		require.NoError(t, err)
		require.True(t, len(secret) > 40)
		require.Equal(t, secret[:10], tok.Prefix)
		id, err := b.svc.Token(ctx, secret)
		require.NoError(t, err)
		require.Equal(t, auth.MethodToken, id.Method)
		require.Equal(t, "View", id.User.Role)
		stored, err := b.st.Token(ctx, tok.ID)
		require.NoError(t, err)
		require.NotNil(t, stored.LastUsed, "last use recorded")

		// The owner's current role applies.
		u.Role = "Admin"
		require.NoError(t, b.st.UpdateUser(ctx, u))
		id, err = b.svc.Token(ctx, secret)
		require.NoError(t, err)
		require.Equal(t, "Admin", id.User.Role)

		for name, tc := range map[string]string{"unknown": "smk_nope", "no prefix": "abc", "empty": ""} {
			_, err := b.svc.Token(ctx, tc)
			require.True(t, auth.IsAuthError(err), name)
		}
		b.clock.add(time.Hour)
		_, err = b.svc.Token(ctx, secret)
		require.True(t, auth.IsAuthError(err), "expired")

		secret2, tok2, err := b.svc.CreateToken(ctx, u, "", 0)
		require.NoError(t, err)
		require.Nil(t, tok2.Expires)
		require.NoError(t, b.st.RevokeToken(ctx, tok2.ID, 0, b.clock.now()))
		_, err = b.svc.Token(ctx, secret2)
		require.True(t, auth.IsAuthError(err), "revoked")

		secret3, _, err := b.svc.CreateToken(ctx, u, "", 0)
		require.NoError(t, err)
		u.Active = false
		require.NoError(t, b.st.UpdateUser(ctx, u))
		_, err = b.svc.Token(ctx, secret3)
		require.True(t, auth.IsAuthError(err), "disabled owner")
	})
}

func TestExternalUser(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, engine string) {
		b := setup(t, engine, auth.Config{Groups: auth.Groups{Admin: "admins", Justify: "justifiers"}})
		ctx := context.Background()
		u, err := b.svc.ExternalUser(ctx, "Eve@Example.com", []string{"justifiers"}, "View")
		require.NoError(t, err)
		require.Equal(t, "eve@example.com", u.Email)
		require.Equal(t, "Justify", u.Role)
		require.Empty(t, u.PasswordHash)
		again, err := b.svc.ExternalUser(ctx, "eve@example.com", []string{"admins"}, "View")
		require.NoError(t, err)
		require.Equal(t, u.ID, again.ID)
		require.Equal(t, "Justify", again.Role, "existing users keep their role")
		_, err = b.svc.ExternalUser(ctx, "", nil, "View")
		require.True(t, auth.IsAuthError(err))
		again.Active = false
		require.NoError(t, b.st.UpdateUser(ctx, again))
		_, err = b.svc.ExternalUser(ctx, "eve@example.com", nil, "View")
		require.True(t, auth.IsAuthError(err))
		_, _, err = b.svc.Login(ctx, "eve@example.com", "", "10.0.0.1", "")
		require.ErrorIs(t, err, auth.ErrBadCredentials, "no local password: no local sign-in")
	})
}
