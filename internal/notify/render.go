package notify

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Renderer renders reports into messages. It is safe for concurrent use.
type Renderer struct {
	links Links
	html  *htmltemplate.Template
	text  *texttemplate.Template
	// TopIssues bounds the issues of a summary (Slack, webhook).
	topIssues int
}

type issueTable struct {
	Title  string
	Issues []IssueLine
	Colour string
}

func funcs() map[string]any {
	return map[string]any{
		"utc":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"title": func(s string) string { return strings.ToUpper(s[:1]) + s[1:] },
		"upper": strings.ToUpper,
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return one
			}
			return many
		},
		"lists": func(t TechChanges) [][]ReportItem { return [][]ReportItem{t.New, t.Changed, t.Deleted} },
		"issueTable": func(title string, is []IssueLine, colour string) issueTable {
			return issueTable{Title: title, Issues: is, Colour: colour}
		},
		"diffPrefix": func(op string) string {
			if op == "~" {
				return "  "
			}
			return op + " "
		},
		"diffStyle": func(op string) htmltemplate.CSS {
			switch op {
			case "+":
				return "background: #e6ffec; color: #116329;"
			case "-":
				return "background: #ffebe9; color: #82071e;"
			case "~":
				return "color: #57606a; font-style: italic;"
			}
			return ""
		},
		"changeStyle": func(kind string) htmltemplate.CSS {
			switch kind {
			case "new":
				return "background: #dafbe1; padding: 0 4px;"
			case "deleted":
				return "background: #ffebe9; padding: 0 4px;"
			}
			return "background: #ddf4ff; padding: 0 4px;"
		},
		"scoreStyle": func(score int) htmltemplate.CSS { return htmltemplate.CSS(scoreStyle(score)) },
	}
}

// scoreStyle colours an issue score as the reference: up to 3 yellow, 4
// to 6 orange, above 6 red.
func scoreStyle(score int) string {
	switch {
	case score > 6:
		return "background: #ffcecb; color: #82071e; font-weight: bold;"
	case score > 3:
		return "background: #ffe2b8; color: #7d4e00; font-weight: bold;"
	default:
		return "background: #fff8c5; color: #4d2d00;"
	}
}

// NewRenderer parses the templates.
func NewRenderer(links Links) (*Renderer, error) {
	h, err := htmltemplate.New("html").Funcs(funcs()).ParseFS(templateFS, "templates/*.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse report templates: %w", err)
	}
	t, err := texttemplate.New("text").Funcs(funcs()).ParseFS(templateFS, "templates/*.txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse report templates: %w", err)
	}
	return &Renderer{links: links, html: h, text: t, topIssues: 5}, nil
}

type changeData struct {
	Subject     string
	Report      *ChangeReport
	SettingsURL string
}

func (r *Renderer) settingsURL() string {
	if r.links.Base == "" {
		return ""
	}
	return strings.TrimRight(r.links.Base, "/") + "/settings/notifications"
}

// Change renders a change report.
func (r *Renderer) Change(rep *ChangeReport) (Message, error) {
	d := changeData{Subject: rep.Subject(), Report: rep, SettingsURL: r.settingsURL()}
	m := Message{Kind: KindChange, Account: rep.Account.Name, Subject: d.Subject, Summary: rep.Summary(r.topIssues)}
	var err error
	if m.HTML, m.Text, err = r.execute("change", d); err != nil {
		return Message{}, fmt.Errorf("render change report %s: %w", rep.Account.Name, err)
	}
	return m, nil
}

type auditData struct {
	Report      *AuditReport
	SettingsURL string
}

// Audit renders an audit report.
func (r *Renderer) Audit(rep *AuditReport) (Message, error) {
	m := Message{Kind: KindAudit, Account: rep.Account.Name, Subject: rep.Subject, Summary: rep.Summary(r.topIssues)}
	var err error
	if m.HTML, m.Text, err = r.execute("audit", auditData{Report: rep, SettingsURL: r.settingsURL()}); err != nil {
		return Message{}, fmt.Errorf("render audit report %s: %w", rep.Account.Name, err)
	}
	return m, nil
}

func (r *Renderer) execute(name string, data any) (string, string, error) {
	var h, t bytes.Buffer
	if err := r.html.ExecuteTemplate(&h, name+".html.tmpl", data); err != nil {
		return "", "", err
	}
	if err := r.text.ExecuteTemplate(&t, name+".txt.tmpl", data); err != nil {
		return "", "", err
	}
	return h.String(), t.String(), nil
}
