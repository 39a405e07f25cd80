package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/monkey"
)

// settingsTab is one tab of /settings: the API listing it shows (and whose
// role it takes).
type settingsTab struct {
	Name, Label, List string
}

var settingsTabs = []settingsTab{
	{"accounts", "Accounts", "GET /api/1/accounts"},
	{"notifications", "My notifications", "GET /api/1/settings"},
	{"whitelist", "Network whitelist", "GET /api/1/whitelistcidrs"},
	{"ignorelist", "Ignore list", "GET /api/1/ignorelistentries"},
	{"auditor", "Auditor settings", "GET /api/1/auditorsettings"},
	{"scores", "Audit scores", "GET /api/1/auditscores"},
	{"users", "Users and roles", "GET /api/1/users"},
	{"watchers", "Watchers", "GET /api/1/watcher_config"},
	{"tokens", "My API tokens", "GET /api/1/tokens"},
	{"actionlog", "Action log", "GET /api/1/auditlog"},
}

// settingsForms are the forms of the settings tabs: page route, the API
// route it calls, and how the form becomes the API's body.
func (w *Web) settingsRoutes() []pageRoute {
	var out []pageRoute
	for _, t := range settingsTabs {
		out = append(out, pageRoute{method: "GET", pattern: "/settings/" + t.Name, mirrors: t.List,
			summary: "settings: " + strings.ToLower(t.Label), handler: w.settingsPage(t)})
	}
	forms := []struct {
		pattern, api, tab, done string
		body                    func(f url.Values) (any, error)
	}{
		{"/settings/accounts/create", "POST /api/1/accounts", "accounts", "created", accountBody},
		{"/settings/accounts/{id}/update", "PUT /api/1/accounts/{id}", "accounts", "saved", accountBody},
		{"/settings/accounts/{id}/delete", "DELETE /api/1/accounts/{id}", "accounts", "deleted", nil},
		{"/settings/accounts/bulk", "PUT /api/1/accounts_bulk/batch", "accounts", "updated", bulkBody},
		{"/settings/notifications/update", "POST /api/1/settings", "notifications", "saved", notificationBody},
		{"/settings/whitelist/create", "POST /api/1/whitelistcidrs", "whitelist", "created", fieldsBody("name", "cidr", "notes")},
		{"/settings/whitelist/{id}/update", "PUT /api/1/whitelistcidrs/{id}", "whitelist", "saved", fieldsBody("name", "cidr", "notes")},
		{"/settings/whitelist/{id}/delete", "DELETE /api/1/whitelistcidrs/{id}", "whitelist", "deleted", nil},
		{"/settings/ignorelist/create", "POST /api/1/ignorelistentries", "ignorelist", "created", fieldsBody("prefix", "technology", "notes")},
		{"/settings/ignorelist/{id}/update", "PUT /api/1/ignorelistentries/{id}", "ignorelist", "saved", fieldsBody("prefix", "technology", "notes")},
		{"/settings/ignorelist/{id}/delete", "DELETE /api/1/ignorelistentries/{id}", "ignorelist", "deleted", nil},
		{"/settings/auditor/{as_id}/update", "PUT /api/1/auditorsettings/{as_id}", "auditor", "saved", func(f url.Values) (any, error) {
			return map[string]bool{"disabled": f.Get("disabled") == "true"}, nil
		}},
		{"/settings/scores/create", "POST /api/1/auditscores", "scores", "created", func(f url.Values) (any, error) {
			tech, method, ok := strings.Cut(f.Get("check"), "|")
			if !ok {
				return nil, monkey.Errorf(monkey.EINVALID, "Pick a check.")
			}
			return map[string]any{"technology": tech, "method": method, "score": f.Get("score"), "disabled": f.Get("disabled") == "true"}, nil
		}},
		{"/settings/scores/{id}/update", "PUT /api/1/auditscores/{id}", "scores", "saved", func(f url.Values) (any, error) {
			return map[string]any{"technology": f.Get("technology"), "method": f.Get("method"), "score": strings.TrimSpace(f.Get("score")),
				"disabled": f.Get("disabled") == "true"}, nil
		}},
		{"/settings/scores/{id}/delete", "DELETE /api/1/auditscores/{id}", "scores", "deleted", nil},
		{"/settings/scores/{id}/patterns", "POST /api/1/accountpatternauditscores", "scores", "created", nil},
		{"/settings/patterns/{id}/update", "PUT /api/1/accountpatternauditscores/{id}", "scores", "saved",
			fieldsBody("account_type", "account_field", "account_pattern", "score")},
		{"/settings/patterns/{id}/delete", "DELETE /api/1/accountpatternauditscores/{id}", "scores", "deleted", nil},
		{"/settings/users/{user_id}/update", "PUT /api/1/users/{user_id}", "users", "saved", userBody},
		{"/settings/users/{user_id}/delete", "DELETE /api/1/users/{user_id}", "users", "deleted", nil},
		{"/settings/watchers/{id}/update", "PUT /api/1/watcher_config/{id}", "watchers", "saved", watcherBody},
		{"/settings/tokens/{id}/delete", "DELETE /api/1/tokens/{id}", "tokens", "revoked", nil},
	}
	for _, f := range forms {
		out = append(out, pageRoute{method: "POST", pattern: f.pattern, mirrors: f.api, summary: "settings form (" + f.api + ")",
			handler: func(rw http.ResponseWriter, r *http.Request) error {
				if err := form(r); err != nil {
					return err
				}
				var body any
				if f.api == "POST /api/1/accountpatternauditscores" {
					owner, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
					if err != nil {
						return monkey.Errorf(monkey.ENOTFOUND, "No audit score %q.", r.PathValue("id"))
					}
					body = map[string]any{"account_type": r.PostForm.Get("account_type"), "account_field": r.PostForm.Get("account_field"),
						"account_pattern": r.PostForm.Get("account_pattern"), "score": r.PostForm.Get("score"), "itemauditscores_id": owner}
					r.SetPathValue("id", "")
				}
				if f.body != nil {
					b, err := f.body(r.PostForm)
					if err != nil {
						return err
					}
					body = b
				}
				path := map[string]string{}
				for _, k := range []string{"id", "as_id", "user_id"} {
					if v := r.PathValue(k); v != "" {
						path[k] = v
						if k == "user_id" {
							// The API wants the id in the body too.
							if m, ok := body.(map[string]any); ok {
								n, _ := strconv.ParseInt(v, 10, 64)
								m["id"] = n
							}
						}
					}
				}
				if _, err := w.call(r, f.api, path, body); err != nil {
					return err
				}
				back(rw, r, "/settings/"+f.tab, f.done)
				return nil
			}})
	}
	out = append(out, pageRoute{method: "POST", pattern: "/settings/tokens/create", mirrors: "POST /api/1/tokens",
		summary: "create an API token (shown once)", handler: w.createToken})
	return out
}

func fieldsBody(names ...string) func(f url.Values) (any, error) {
	return func(f url.Values) (any, error) {
		m := map[string]any{}
		for _, n := range names {
			m[n] = strings.TrimSpace(f.Get(n))
		}
		return m, nil
	}
}

// accountBody is the API's account body; the AWS custom fields role_name
// and external_id are sent for AWS accounts (as shown in the form: empty
// clears them).
func accountBody(f url.Values) (any, error) {
	body := map[string]any{"account_type": f.Get("account_type"), "name": strings.TrimSpace(f.Get("name")),
		"identifier": strings.TrimSpace(f.Get("identifier")), "notes": f.Get("notes"), "active": f.Get("active") == "true",
		"third_party": f.Get("third_party") == "true"}
	// The forms name a custom field custom_<name>; the new-account form
	// holds the fields of every type, so only the chosen type's are sent.
	_, fields := api.AccountTypes()
	custom := map[string]any{}
	for _, fd := range fields[f.Get("account_type")] {
		if _, shown := f["custom_"+fd.Name]; shown {
			custom[fd.Name] = strings.TrimSpace(f.Get("custom_" + fd.Name))
		}
	}
	if len(custom) > 0 {
		body["custom_fields"] = custom
	}
	return body, nil
}

func bulkBody(f url.Values) (any, error) {
	on := f.Get("active") == "true"
	m := map[string]bool{}
	for _, n := range f["account"] {
		m[n] = on
	}
	if len(m) == 0 {
		return nil, monkey.Errorf(monkey.EINVALID, "Tick at least one account.")
	}
	return m, nil
}

func notificationBody(f url.Values) (any, error) {
	ids := []int64{}
	for _, v := range f["account"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, monkey.Errorf(monkey.EINVALID, "Bad account id %q.", v)
		}
		ids = append(ids, n)
	}
	return map[string]any{"accounts": ids, "daily_audit_email": f.Get("daily_audit_email") == "true",
		"change_report_setting": f.Get("change_reports")}, nil
}

func userBody(f url.Values) (any, error) {
	return map[string]any{"email": f.Get("email"), "active": f.Get("active") == "true", "role_id": f.Get("role")}, nil
}

func watcherBody(f url.Values) (any, error) {
	return map[string]any{"index": f.Get("index"), "interval": f.Get("interval"), "active": f.Get("active") == "true",
		"remove_items": f.Get("remove_items") == "true"}, nil
}

// settingsPage is one tab: the API's listing, decoded for the template.
type settingsPage struct {
	Tab       string
	Tabs      []settingsTab
	Allowed   map[string]bool // tabs the user may open
	Data      map[string]any
	Accounts  []map[string]any // for notifications
	Following map[float64]bool
	Techs     []techOption
	Intervals []int
	Roles     []string
	NewToken  string
	// Checks are "technology|override key" of every check (scores tab);
	// Patterns the account-pattern scores by override id.
	Checks   []string
	Patterns map[float64][]map[string]any
	// Custom are the accounts' custom fields by account id; AccountTypes
	// and Fields the types and their custom fields (accounts tab).
	Custom       map[float64]map[string]string
	AccountTypes []string
	Fields       map[string][]api.AccountField
}

func (w *Web) settingsPage(t settingsTab) func(rw http.ResponseWriter, r *http.Request) error {
	return func(rw http.ResponseWriter, r *http.Request) error {
		p := settingsPage{Tab: t.Name, Tabs: settingsTabs, Allowed: map[string]bool{}, Intervals: []int{15, 60, 720, 1440, 10080},
			Roles: monkey.UserRoles, Following: map[float64]bool{}}
		role := monkey.RoleFromContext(r.Context())
		for _, tb := range settingsTabs {
			p.Allowed[tb.Name] = monkey.HasRole(role, w.api[tb.List].Role)
		}
		for _, idx := range w.order {
			p.Techs = append(p.Techs, techOption{Index: idx, Name: w.techName(idx)})
		}
		q := url.Values{"count": {"1000"}}
		if err := w.read(r, t.List, nil, q, &p.Data); err != nil {
			return err
		}
		if t.Name == "accounts" {
			accts, err := w.st.ListAccounts(r.Context())
			if err != nil {
				return err
			}
			p.AccountTypes, p.Fields = api.AccountTypes()
			p.Custom = map[float64]map[string]string{}
			for _, a := range accts {
				p.Custom[float64(a.ID)] = a.Custom
			}
		}
		if t.Name == "scores" {
			var tm struct {
				TechMethods map[string][]string `json:"tech_methods"`
			}
			if err := w.read(r, "GET /api/1/techmethods/{tech_ids}", map[string]string{"tech_ids": "all"}, nil, &tm); err != nil {
				return err
			}
			for tech, ms := range tm.TechMethods {
				for _, m := range ms {
					p.Checks = append(p.Checks, tech+"|"+m)
				}
			}
			sort.Strings(p.Checks)
			p.Patterns = map[float64][]map[string]any{}
			for _, sc := range asList(p.Data["items"]) {
				id, _ := sc["id"].(float64)
				var pats map[string]any
				if err := w.read(r, "GET /api/1/auditscores/{id}/accountpatternauditscores",
					map[string]string{"id": strconv.FormatFloat(id, 'f', 0, 64)}, url.Values{"count": {"1000"}}, &pats); err != nil {
					return err
				}
				p.Patterns[id] = asList(pats["items"])
			}
		}
		if t.Name == "notifications" {
			var accts map[string]any
			if err := w.read(r, "GET /api/1/accounts", nil, url.Values{"count": {"1000"}}, &accts); err != nil {
				return err
			}
			p.Accounts = asList(accts["items"])
			for _, s := range asList(p.Data["settings"]) {
				ids, _ := s["accounts"].([]any)
				for _, id := range ids {
					if f, ok := id.(float64); ok {
						p.Following[f] = true
					}
				}
			}
		}
		return w.render(rw, r, http.StatusOK, "settings", t.Label+" · Settings", "settings", p)
	}
}

func (w *Web) createToken(rw http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	body := map[string]any{"name": strings.TrimSpace(r.PostForm.Get("name"))}
	if d := strings.TrimSpace(r.PostForm.Get("expires")); d != "" {
		body["expires"] = d
	}
	b, err := w.call(r, "POST /api/1/tokens", nil, body)
	if err != nil {
		return err
	}
	var created struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(b, &created); err != nil {
		return err
	}
	// Shown once, on this answer (not in an address).
	p := settingsPage{Tab: "tokens", Tabs: settingsTabs, Allowed: map[string]bool{}, NewToken: created.Token}
	role := monkey.RoleFromContext(r.Context())
	for _, tb := range settingsTabs {
		p.Allowed[tb.Name] = monkey.HasRole(role, w.api[tb.List].Role)
	}
	if err := w.read(r, "GET /api/1/tokens", nil, nil, &p.Data); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusCreated, "settings", "My API tokens · Settings", "settings", p)
}

// asList reads a JSON list of objects.
func asList(v any) []map[string]any {
	l, _ := v.([]any)
	out := make([]map[string]any, 0, len(l))
	for _, e := range l {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
