package app

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/secmonkey/monkey/internal/awssim"
	"github.com/secmonkey/monkey/internal/config"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

// demoAccountNames name the simulated accounts in the demo.
var demoAccountNames = []string{"prod", "staging", "dev", "sandbox", "shared"}

func cmdDemo(ctx context.Context, a *App, args []string) error {
	fs := newFlags("demo", a.Stderr)
	once := fs.Bool("once", false, "scan once, print the summary and exit")
	asJSON := fs.Bool("json", false, "print the find-changes summary as JSON")
	accounts := fs.Int("accounts", 3, "number of simulated accounts")
	seed := fs.Int64("seed", 1, "seed of the simulated resources")
	items := fs.Int("items", 0, "resources of each technology per account (default: a handful)")
	dbPath := fs.String("db", "", "SQLite file to keep the demo data in (default: a temporary file)")
	listen := fs.String("listen", "127.0.0.1:5000", "without --once: address of /healthz, /readyz and /metrics of the running demo")
	changeReport := fs.String("change-report", "", "write the first account's change report of the scan to this HTML file (\"-\": its text to the terminal)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *accounts < 1 || *accounts > len(demoAccountNames) {
		return usagef("demo: --accounts must be between 1 and %d", len(demoAccountNames))
	}
	path := *dbPath
	if path == "" {
		dir, err := os.MkdirTemp("", "monkey-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		a.onClose(func() { os.RemoveAll(dir) })
		path = filepath.Join(dir, "monkey.db")
	}
	a.Config.DatabaseURL = config.SecretURL(path)

	sim, err := awssim.New(awssim.Options{Accounts: *accounts, Seed: *seed, Items: *items, Logger: a.Logger})
	if err != nil {
		return fmt.Errorf("demo: simulated AWS: %w", err)
	}
	endpoint, err := sim.Start("127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo: simulated AWS: %w", err)
	}
	a.onClose(func() { _ = sim.Close() })
	base := aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("demo", "demo", ""),
		BaseEndpoint:     aws.String(endpoint),
		RetryMaxAttempts: 5,
	}
	a.AWSBase = &base

	s, err := a.Store(ctx, true)
	if err != nil {
		return err
	}
	for i, id := range sim.AccountIDs() {
		acct := monkey.Account{Type: "AWS", Name: demoAccountNames[i], Identifier: id, Active: true,
			Notes: "simulated by monkey demo"}
		if existing, err := s.AccountByName(ctx, acct.Name); err == nil && existing.Identifier == id {
			continue
		}
		if err := s.CreateAccount(ctx, &acct); err != nil {
			return fmt.Errorf("demo: add account %s: %w", acct.Name, err)
		}
	}
	accts, err := selectAccounts(ctx, a, nil)
	if err != nil {
		return err
	}
	techs, err := selectTechnologies(a, nil)
	if err != nil {
		return err
	}
	sum, err := findChanges(ctx, a, accts, techs, defaultLockWait)
	if err != nil {
		return err
	}
	if err := printSummary(a.Stdout, sum, *asJSON); err != nil {
		return err
	}
	if *changeReport != "" && len(sum.Changes) > 0 {
		if err := a.writeChangeReport(ctx, s, sum.Changes[0], *changeReport); err != nil {
			return err
		}
	}
	if *asJSON {
		return nil
	}
	if err := printTopIssues(ctx, a, 15); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "\nSimulated AWS: %s (%d accounts, seed %d)\n", endpoint, *accounts, *seed)
	if *once {
		return nil
	}
	// Keep running as `monkey all`: API, scheduler, worker and /metrics on
	// the same database, rescanning every technology at its interval.
	password, err := demoAdmin(ctx, a, s)
	if err != nil {
		return err
	}
	if *listen, err = concreteAddr(*listen); err != nil {
		return fmt.Errorf("demo: --listen: %w", err)
	}
	fmt.Fprintf(a.Stdout, "\nWeb UI: http://%s/ — sign in at http://%s/login\n  user:     %s\n  password: %s\n", *listen, *listen,
		demoAdminEmail, password)
	fmt.Fprintf(a.Stdout, "\nThe demo keeps running (API, scheduler, worker, http://%s/metrics); Ctrl-C stops it.\n", *listen)
	fmt.Fprintf(a.Stdout, "In another terminal:\n  MONKEY_DATABASE_URL=%s monkey status\n", path)
	fmt.Fprintf(a.Stdout, "  curl -X POST %s/_sim/mutate -d '{\"account\":\"%s\",\"technology\":\"securitygroup\",\"count\":2}'\n",
		endpoint, sim.AccountIDs()[0])
	fmt.Fprintf(a.Stdout, "  MONKEY_DATABASE_URL=%s AWS_ENDPOINT_URL=%s AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_REGION=us-east-1 monkey find-changes -m securitygroup\n",
		path, endpoint)
	a.Config.BrokerURL = "" // the in-process broker
	return cmdAll(ctx, a, []string{"--listen", *listen})
}

// printTopIssues prints the open issues grouped by technology and issue
// text, highest score first, with one example item each.
func printTopIssues(ctx context.Context, a *App, n int) error {
	s, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	issues, err := s.TopIssues(ctx, 100000)
	if err != nil {
		return err
	}
	type group struct {
		tech, text      string
		count, maxScore int
		example         string
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, v := range issues {
		k := v.Technology + "\x00" + v.Issue.Text
		g := byKey[k]
		if g == nil {
			g = &group{tech: v.Technology, text: v.Issue.Text, example: v.Account + "/" + v.ItemName}
			if v.Issue.Notes != nil {
				g.example += ": " + *v.Issue.Notes
			}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.count++
		g.maxScore = max(g.maxScore, v.Issue.Score)
	}
	slices.SortStableFunc(groups, func(x, y *group) int {
		if c := cmp.Compare(y.maxScore, x.maxScore); c != 0 {
			return c
		}
		return cmp.Compare(y.count, x.count)
	})
	if len(groups) > n {
		groups = groups[:n]
	}
	fmt.Fprintf(a.Stdout, "\nOpen issues by kind (highest score first):\n")
	tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCORE\tCOUNT\tTECHNOLOGY\tISSUE\tEXAMPLE")
	for _, g := range groups {
		ex := g.example
		if r := []rune(ex); len(r) > 100 {
			ex = string(r[:97]) + "..."
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\n", g.maxScore, g.count, g.tech, g.text, ex)
	}
	return tw.Flush()
}

// demoAdminEmail is the demo's Admin user.
const demoAdminEmail = "admin@demo.local"

// demoAdmin creates the demo's Admin user, or gives it a new password when
// it exists (a kept --db), and returns the password (printed once).
func demoAdmin(ctx context.Context, a *App, st *store.Store) (string, error) {
	svc, err := a.authService(st)
	if err != nil {
		return "", err
	}
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("demo: %w", err)
	}
	password := base64.RawURLEncoding.EncodeToString(b)
	u, err := st.UserByEmail(ctx, demoAdminEmail)
	switch {
	case err == nil:
		u.Role, u.Active = monkey.RoleAdmin, true
		_, err = svc.SetPassword(ctx, u, password)
	case monkey.ErrorCode(err) == monkey.ENOTFOUND:
		_, err = svc.CreateUser(ctx, demoAdminEmail, monkey.RoleAdmin, password)
	}
	if err != nil {
		return "", fmt.Errorf("demo: admin user: %w", err)
	}
	return password, nil
}

// concreteAddr turns an address with port 0 into one with a free port, so
// that the addresses printed before the server starts are the ones it
// serves on (another process could take the port in between; the server
// then fails to start with a clear error).
func concreteAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port != "0" {
		return addr, err
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String(), nil
}
