package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/auth"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

// userCommands adds the user and token commands.
func userCommands(t map[string]command) {
	t["user"] = command{"add, list and change users (add, list, set-role, set-password, disable, enable)", cmdUser}
	t["token"] = command{"create, list and revoke API tokens", cmdToken}
}

func cmdUser(ctx context.Context, a *App, args []string) error {
	if len(args) == 0 {
		return usagef("user: want add, list, set-role, set-password, disable or enable")
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, a, args[1:])
	case "list", "ls":
		return userList(ctx, a, args[1:])
	case "set-role":
		return userSetRole(ctx, a, args[1:])
	case "set-password":
		return userSetPassword(ctx, a, args[1:])
	case "disable", "enable":
		return userSetActive(ctx, a, args[0] == "enable", args[1:])
	}
	return usagef("user: unknown subcommand %q (want add, list, set-role, set-password, disable or enable)", args[0])
}

// userStore opens the store and the sign-in service.
func (a *App) userStore(ctx context.Context) (*store.Store, *auth.Service, error) {
	st, err := a.Store(ctx, false)
	if err != nil {
		return nil, nil, err
	}
	svc, err := a.authService(st)
	if err != nil {
		return nil, nil, err
	}
	return st, svc, nil
}

func oneEmail(cmd string, pos []string) (string, error) {
	if len(pos) != 1 {
		return "", usagef("%s: give one e-mail address", cmd)
	}
	return auth.NormalizeEmail(pos[0]), nil
}

func userAdd(ctx context.Context, a *App, args []string) error {
	fs := newFlags("user add", a.Stderr)
	role := fs.String("role", monkey.RoleView, "View, Comment, Justify or Admin")
	stdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin (else: SSO or header sign-in only)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	email, err := oneEmail("user add", pos)
	if err != nil {
		return err
	}
	if !monkey.ValidRole(*role) {
		return usagef("user add: --role must be View, Comment, Justify or Admin, not %q", *role)
	}
	password := ""
	if *stdin {
		if password, err = readSecret(a); err != nil {
			return err
		}
	}
	st, svc, err := a.userStore(ctx)
	if err != nil {
		return err
	}
	u, err := svc.CreateUser(ctx, email, *role, password)
	if err != nil {
		return fmt.Errorf("user add %s: %w", email, err)
	}
	if err := a.cliAction(ctx, st, "user.create", "user "+u.Email, map[string]any{"role": u.Role, "password": password != ""}); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "user %s added with role %s\n", u.Email, u.Role)
	return nil
}

// userLine is one user of `user list --json`.
type userLine struct {
	ID        int64      `json:"id"`
	Email     string     `json:"email"`
	Role      string     `json:"role"`
	Active    bool       `json:"active"`
	Password  bool       `json:"password"`
	LastLogin *time.Time `json:"last_login_at"`
	Logins    int        `json:"login_count"`
}

func userList(ctx context.Context, a *App, args []string) error {
	fs := newFlags("user list", a.Stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	st, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	users, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}
	lines := make([]userLine, 0, len(users))
	for _, u := range users {
		lines = append(lines, userLine{ID: u.ID, Email: u.Email, Role: u.Role, Active: u.Active, Password: u.PasswordHash != "",
			LastLogin: u.CurrentLoginAt, Logins: u.LoginCount})
	}
	if *asJSON {
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tROLE\tACTIVE\tPASSWORD\tLAST LOGIN")
	for _, l := range lines {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%t\t%t\t%s\n", l.ID, l.Email, l.Role, l.Active, l.Password, fmtTime(l.LastLogin))
	}
	return tw.Flush()
}

func (a *App) userByEmail(ctx context.Context, st *store.Store, cmd, email string) (monkey.User, error) {
	u, err := st.UserByEmail(ctx, email)
	if monkey.ErrorCode(err) == monkey.ENOTFOUND {
		return u, fmt.Errorf("%s: no user %s (see `monkey user list`)", cmd, email)
	}
	return u, err
}

func userSetRole(ctx context.Context, a *App, args []string) error {
	fs := newFlags("user set-role", a.Stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("user set-role: want EMAIL ROLE")
	}
	email, role := auth.NormalizeEmail(pos[0]), pos[1]
	if !monkey.ValidRole(role) {
		return usagef("user set-role: ROLE must be View, Comment, Justify or Admin, not %q", role)
	}
	st, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	u, err := a.userByEmail(ctx, st, "user set-role", email)
	if err != nil {
		return err
	}
	old := u.Role
	u.Role = role
	if err := st.UpdateUser(ctx, u); err != nil {
		return err
	}
	if err := a.cliAction(ctx, st, "user.set_role", "user "+u.Email, map[string]string{"before": old, "after": role}); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "user %s: role %s\n", u.Email, role)
	return nil
}

func userSetPassword(ctx context.Context, a *App, args []string) error {
	fs := newFlags("user set-password", a.Stderr)
	stdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin (required)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	email, err := oneEmail("user set-password", pos)
	if err != nil {
		return err
	}
	if !*stdin {
		return usagef("user set-password: give the password on stdin with --password-stdin")
	}
	password, err := readSecret(a)
	if err != nil {
		return err
	}
	st, svc, err := a.userStore(ctx)
	if err != nil {
		return err
	}
	u, err := a.userByEmail(ctx, st, "user set-password", email)
	if err != nil {
		return err
	}
	if _, err := svc.SetPassword(ctx, u, password); err != nil {
		return fmt.Errorf("user set-password %s: %w", email, err)
	}
	if err := a.cliAction(ctx, st, "user.set_password", "user "+u.Email, nil); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "user %s: password changed, sessions ended\n", u.Email)
	return nil
}

func userSetActive(ctx context.Context, a *App, active bool, args []string) error {
	verb := "disable"
	if active {
		verb = "enable"
	}
	fs := newFlags("user "+verb, a.Stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	email, err := oneEmail("user "+verb, pos)
	if err != nil {
		return err
	}
	st, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	u, err := a.userByEmail(ctx, st, "user "+verb, email)
	if err != nil {
		return err
	}
	u.Active = active
	if err := st.UpdateUser(ctx, u); err != nil {
		return err
	}
	if err := a.cliAction(ctx, st, "user."+verb, "user "+u.Email, nil); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "user %s %sd\n", u.Email, verb)
	return nil
}

func cmdToken(ctx context.Context, a *App, args []string) error {
	if len(args) == 0 {
		return usagef("token: want create, list or revoke")
	}
	switch args[0] {
	case "create":
		return tokenCreate(ctx, a, args[1:])
	case "list", "ls":
		return tokenList(ctx, a, args[1:])
	case "revoke":
		return tokenRevoke(ctx, a, args[1:])
	}
	return usagef("token: unknown subcommand %q (want create, list or revoke)", args[0])
}

func tokenCreate(ctx context.Context, a *App, args []string) error {
	fs := newFlags("token create", a.Stderr)
	userFlag := fs.String("user", "", "e-mail of the owner (the token acts with the owner's current role)")
	name := fs.String("name", "", "a name to recognise the token")
	expires := fs.String("expires", "", "lifetime, e.g. 720h or 90d (default: no expiry)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *userFlag == "" {
		return usagef("token create: --user EMAIL is required")
	}
	ttl, err := api.ParseLifetime(*expires)
	if err != nil {
		return usagef("token create: --expires: %v", err)
	}
	st, svc, err := a.userStore(ctx)
	if err != nil {
		return err
	}
	u, err := a.userByEmail(ctx, st, "token create", auth.NormalizeEmail(*userFlag))
	if err != nil {
		return err
	}
	secret, tok, err := svc.CreateToken(ctx, u, *name, ttl)
	if err != nil {
		return err
	}
	if err := a.cliAction(ctx, st, "token.create", fmt.Sprintf("token %d", tok.ID), api.TokenOf(tok)); err != nil {
		return err
	}
	// The secret alone on stdout (scripts capture it); the rest on stderr.
	fmt.Fprintln(a.Stdout, secret)
	fmt.Fprintf(a.Stderr, "token %d for %s created; it is shown only this once\n", tok.ID, u.Email)
	return nil
}

func tokenList(ctx context.Context, a *App, args []string) error {
	fs := newFlags("token list", a.Stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	userFlag := fs.String("user", "", "only this user's tokens")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	st, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	var uid int64
	if *userFlag != "" {
		u, err := a.userByEmail(ctx, st, "token list", auth.NormalizeEmail(*userFlag))
		if err != nil {
			return err
		}
		uid = u.ID
	}
	toks, err := st.ListTokens(ctx, uid)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]any, 0, len(toks))
		for _, t := range toks {
			out = append(out, api.TokenOf(t))
		}
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tNAME\tPREFIX\tCREATED\tEXPIRES\tLAST USED\tREVOKED")
	for _, t := range toks {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s…\t%s\t%s\t%s\t%s\n", t.ID, t.User, t.Name, t.Prefix, fmtTime(&t.Created),
			fmtTime(t.Expires), fmtTime(t.LastUsed), fmtTime(t.Revoked))
	}
	return tw.Flush()
}

func tokenRevoke(ctx context.Context, a *App, args []string) error {
	fs := newFlags("token revoke", a.Stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("token revoke: give one token id (see `monkey token list`)")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		return usagef("token revoke: %q is not a token id", pos[0])
	}
	st, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	if err := st.RevokeToken(ctx, id, 0, time.Now()); err != nil {
		if monkey.ErrorCode(err) == monkey.ENOTFOUND {
			return fmt.Errorf("token revoke: no token %d", id)
		}
		return err
	}
	if err := a.cliAction(ctx, st, "token.revoke", fmt.Sprintf("token %d", id), nil); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "token %d revoked\n", id)
	return nil
}
