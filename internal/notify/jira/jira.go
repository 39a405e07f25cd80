// Package jira keeps one Jira ticket per auditor setting (issue text ×
// technology × account) in sync with the count of its open unjustified
// issues, as the reference's jirasync: created when the count becomes
// positive, updated when it changes, closed when it reaches zero, reopened
// when it comes back; the text above the marker line of a ticket's
// description is kept; disabled settings are skipped. It speaks Jira's
// REST API v2.
package jira

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/secmonkey/monkey/internal/store"
)

// Marker is the line that separates the text people wrote (kept) from the
// generated part of a ticket's description.
const Marker = "This ticket was automatically created by Security Monkey. DO NOT EDIT SUMMARY OR BELOW THIS LINE"

// Config is the reference's Jira YAML file (SECURITY_MONKEY_JIRA_SYNC)
// plus the JIRA_* settings.
type Config struct {
	Server             string `yaml:"server"`
	Account            string `yaml:"account"`
	Password           string `yaml:"password"`
	Project            string `yaml:"project"`
	IssueType          string `yaml:"issue_type"`
	URL                string `yaml:"url"` // base URL of the Security Monkey UI, for links
	IPProxy            string `yaml:"ip_proxy"`
	PortProxy          string `yaml:"port_proxy"`
	DisableTransitions bool   `yaml:"disable_transitions"`
	Assignee           string `yaml:"assignee"`
	OnlyUpdateOnChange bool   `yaml:"only_update_on_change"`

	// From settings, not the file.
	SSLVerify bool   `yaml:"-"` // JIRA_SSL_VERIFY
	Open      string `yaml:"-"` // JIRA_OPEN transition name
	Closed    string `yaml:"-"` // JIRA_CLOSED transition (and status) name
}

// String redacts the password.
func (c Config) String() string {
	return fmt.Sprintf("jira %s project %s as %s", c.Server, c.Project, c.Account)
}

// LoadConfig reads the YAML file at path; open and closed are the
// transition names, sslVerify JIRA_SSL_VERIFY.
func LoadConfig(path string, sslVerify bool, open, closed string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("jira settings: %w", err)
	}
	var c Config
	if err := yaml.Unmarshal(b, &c); err != nil {
		return Config{}, fmt.Errorf("jira settings %s: %w", path, err)
	}
	c.SSLVerify, c.Open, c.Closed = sslVerify, open, closed
	return c, c.validate()
}

func (c Config) validate() error {
	var missing []string
	for k, v := range map[string]string{"server": c.Server, "account": c.Account, "password": c.Password,
		"project": c.Project, "issue_type": c.IssueType, "url": c.URL} {
		if v == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("jira settings: missing %s", strings.Join(missing, ", "))
	}
	if c.Open == "" || c.Closed == "" {
		return errors.New("jira settings: JIRA_OPEN and JIRA_CLOSED must name transitions")
	}
	return nil
}

// Store is what the sync needs from the database.
type Store interface {
	OpenIssueCounts(ctx context.Context) ([]store.AuditorSetting, error)
	JiraTickets(ctx context.Context) (map[int64]store.JiraTicket, error)
	SaveJiraTicket(ctx context.Context, t store.JiraTicket) error
}

// Syncer syncs the tickets.
type Syncer struct {
	cfg    Config
	st     Store
	client *http.Client
	log    *slog.Logger
	now    func() time.Time
}

// New returns a Syncer. client may be nil (one is built from the config:
// proxy, TLS verification, 30 s timeout).
func New(cfg Config, st Store, client *http.Client, logger *slog.Logger, now func() time.Time) (*Syncer, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if st == nil {
		return nil, errors.New("jira: no store")
	}
	if client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: !cfg.SSLVerify, MinVersion: tls.VersionTLS12} //nolint:gosec // JIRA_SSL_VERIFY=false asks for it
		if cfg.IPProxy != "" {
			port := cfg.PortProxy
			if port == "" {
				port = "80"
			}
			tr.Proxy = http.ProxyURL(&url.URL{Scheme: "http", Host: cfg.IPProxy + ":" + port})
		}
		client = &http.Client{Timeout: 30 * time.Second, Transport: tr}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Syncer{cfg: cfg, st: st, client: client, log: logger.With("component", "jira"), now: now}, nil
}

// Result counts what a sync did.
type Result struct {
	Created  int `json:"created"`
	Updated  int `json:"updated"`
	Closed   int `json:"closed"`
	Reopened int `json:"reopened"`
	Skipped  int `json:"skipped"` // disabled settings
	Errors   int `json:"errors"`
}

// Summary is the reference's ticket summary.
func Summary(issue, tech, account string) string {
	return fmt.Sprintf("%s - %s - %s", issue, tech, account)
}

// Link is the reference's link to the setting's issues in the UI.
func Link(base, tech, account, issue string) string {
	return fmt.Sprintf("%s/#/issues/-/%s/%s/-/-/-/True/%s/1/25", strings.TrimRight(base, "/"), tech, account, url.PathEscape(issue))
}

// Description returns the description of a ticket: kept (the text above
// the marker of the current description, if any), the marker, then the
// count and the link.
func Description(kept string, count int, tech, account, link string, now time.Time) string {
	var b strings.Builder
	if kept = strings.TrimRight(kept, "\n"); kept != "" {
		b.WriteString(kept + "\n\n")
	}
	b.WriteString(Marker + "\n")
	fmt.Fprintf(&b, "Number of issues: %d\nAccount: %s\nTechnology: %s\n[View on Security Monkey|%s]\nLast updated: %s",
		count, account, tech, link, now.UTC().Format("2006-01-02 15:04:05 UTC"))
	return b.String()
}

// above returns the text above the marker of a description ("" when there
// is no marker: a description without one was not written by people above
// it, so nothing is kept).
func above(desc string) string {
	i := strings.Index(desc, Marker)
	if i < 0 {
		return ""
	}
	return desc[:i]
}

// Sync brings every ticket up to date.
func (s *Syncer) Sync(ctx context.Context) (Result, error) {
	var res Result
	settings, err := s.st.OpenIssueCounts(ctx)
	if err != nil {
		return res, err
	}
	tickets, err := s.st.JiraTickets(ctx)
	if err != nil {
		return res, err
	}
	var errs []error
	for _, st := range settings {
		if st.Disabled {
			res.Skipped++
			continue
		}
		if err := s.syncOne(ctx, st, tickets, &res); err != nil {
			res.Errors++
			errs = append(errs, err)
			s.log.Warn("jira sync failed", "setting", st.ID, "error", err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return res, errors.Join(errs...)
}

func (s *Syncer) syncOne(ctx context.Context, st store.AuditorSetting, tickets map[int64]store.JiraTicket, res *Result) error {
	t, ok := tickets[st.ID]
	if !ok && st.Count == 0 {
		return nil // tickets are created only when there are issues
	}
	summary := Summary(st.IssueText, st.Technology, st.Account)
	link := Link(s.cfg.URL, st.Technology, st.Account, st.IssueText)
	now := s.now()
	if !ok {
		fields := map[string]any{
			"project":     map[string]string{"key": s.cfg.Project},
			"issuetype":   map[string]string{"name": s.cfg.IssueType},
			"summary":     summary,
			"description": Description("", st.Count, st.Technology, st.Account, link, now),
		}
		if s.cfg.Assignee != "" {
			fields["assignee"] = map[string]string{"name": s.cfg.Assignee}
		}
		var created struct {
			Key string `json:"key"`
		}
		if err := s.call(ctx, http.MethodPost, "/rest/api/2/issue", map[string]any{"fields": fields}, &created); err != nil {
			return fmt.Errorf("create ticket %q: %w", summary, err)
		}
		res.Created++
		s.log.Info("jira ticket created", "ticket", created.Key, "summary", summary, "count", st.Count)
		return s.st.SaveJiraTicket(ctx, store.JiraTicket{SettingID: st.ID, Key: created.Key, Count: st.Count})
	}
	if s.cfg.OnlyUpdateOnChange && t.Count == st.Count && t.Closed == (st.Count == 0) {
		return nil
	}
	var cur struct {
		Fields struct {
			Description string `json:"description"`
			Status      struct {
				Name string `json:"name"`
			} `json:"status"`
		} `json:"fields"`
	}
	if err := s.call(ctx, http.MethodGet, "/rest/api/2/issue/"+url.PathEscape(t.Key)+"?fields=description,status", nil, &cur); err != nil {
		return fmt.Errorf("read ticket %s: %w", t.Key, err)
	}
	desc := Description(above(cur.Fields.Description), st.Count, st.Technology, st.Account, link, now)
	if err := s.call(ctx, http.MethodPut, "/rest/api/2/issue/"+url.PathEscape(t.Key),
		map[string]any{"fields": map[string]any{"description": desc}}, nil); err != nil {
		return fmt.Errorf("update ticket %s: %w", t.Key, err)
	}
	res.Updated++
	closed := strings.EqualFold(cur.Fields.Status.Name, s.cfg.Closed)
	if !s.cfg.DisableTransitions {
		switch {
		case st.Count == 0 && !closed:
			if err := s.transition(ctx, t.Key, s.cfg.Closed); err != nil {
				return err
			}
			closed = true
			res.Closed++
			s.log.Info("jira ticket closed", "ticket", t.Key)
		case st.Count > 0 && closed:
			if err := s.transition(ctx, t.Key, s.cfg.Open); err != nil {
				return err
			}
			closed = false
			res.Reopened++
			s.log.Info("jira ticket reopened", "ticket", t.Key)
		}
	}
	return s.st.SaveJiraTicket(ctx, store.JiraTicket{SettingID: st.ID, Key: t.Key, Count: st.Count, Closed: closed})
}

// transition moves a ticket through the transition named name.
func (s *Syncer) transition(ctx context.Context, key, name string) error {
	var ts struct {
		Transitions []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"transitions"`
	}
	path := "/rest/api/2/issue/" + url.PathEscape(key) + "/transitions"
	if err := s.call(ctx, http.MethodGet, path, nil, &ts); err != nil {
		return fmt.Errorf("transitions of %s: %w", key, err)
	}
	for _, t := range ts.Transitions {
		if strings.EqualFold(t.Name, name) {
			if err := s.call(ctx, http.MethodPost, path, map[string]any{"transition": map[string]string{"id": t.ID}}, nil); err != nil {
				return fmt.Errorf("transition %s to %s: %w", key, name, err)
			}
			return nil
		}
	}
	return fmt.Errorf("ticket %s has no transition %q", key, name)
}

// Myself checks the credentials (GET /rest/api/2/myself) and returns the
// account's display name.
func (s *Syncer) Myself(ctx context.Context) (string, error) {
	var me struct {
		Name        string `json:"name"`
		DisplayName string `json:"displayName"`
	}
	if err := s.call(ctx, http.MethodGet, "/rest/api/2/myself", nil, &me); err != nil {
		return "", err
	}
	return me.DisplayName + " (" + me.Name + ")", nil
}

func (s *Syncer) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(s.cfg.Server, "/")+path, body)
	if err != nil {
		return err
	}
	req.SetBasicAuth(s.cfg.Account, s.cfg.Password)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, strconv.Quote(string(bytes.TrimSpace(b[:min(len(b), 300)]))))
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: decode reply: %w", method, path, err)
		}
	}
	return nil
}
