package api

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// accountRequest is the body of account creation and update (a JSON
// object, or a JSON string holding one: the reference UI double-encodes).
type accountRequest struct {
	AccountType  *string        `json:"account_type"`
	Name         *string        `json:"name"`
	Identifier   *string        `json:"identifier"`
	Notes        *string        `json:"notes"`
	Active       *flexBool      `json:"active"`
	ThirdParty   *flexBool      `json:"third_party"`
	CustomFields map[string]any `json:"custom_fields"`
}

type customField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// accountDetail is ACCOUNT with its custom fields.
type accountDetail struct {
	accountJSON
	CustomFields []customField   `json:"custom_fields"`
	Auth         server.AuthInfo `json:"auth"`
}

// accountAnswer is ACCOUNT + auth.
type accountAnswer struct {
	accountJSON
	Auth server.AuthInfo `json:"auth"`
}

// accountTypes are the account types and their custom fields (api.md
// §2.3).
var accountTypes = map[string]accountConfig{
	monkey.CloudAWS: {IdentifierLabel: "Number", IdentifierToolTip: "The 12-digit AWS account number.", Fields: []fieldConfig{
		{Name: monkey.FieldCanonicalID, Label: "Canonical ID", Editable: true, ToolTip: "The account's canonical id (S3 ACLs)."},
		{Name: monkey.FieldS3Name, Label: "S3 Name", Editable: true, ToolTip: "The account's e-mail or display name in S3 ACLs."},
		{Name: monkey.FieldRoleName, Label: "Role Name", Editable: true, ToolTip: "The role to assume (default SecurityMonkey)."},
		{Name: monkey.FieldExternalID, Label: "External ID", Editable: true, ToolTip: "The external id of the role, if it needs one."},
	}},
	monkey.CloudGCP: {IdentifierLabel: "Project ID", IdentifierToolTip: "The GCP project id.", Fields: []fieldConfig{
		{Name: "creds_file", Label: "Credentials File", Editable: true, ToolTip: "Path of the service account key file."},
	}},
	monkey.CloudGitHub: {IdentifierLabel: "Organization", IdentifierToolTip: "The GitHub organisation.", Fields: []fieldConfig{
		{Name: "access_token_file", Label: "Access Token File", Editable: true, ToolTip: "Path of a file holding the access token."},
	}},
	monkey.CloudOpenStack: {IdentifierLabel: "Cloud Name", IdentifierToolTip: "The cloud name in clouds.yaml.", Fields: []fieldConfig{
		{Name: "cloudsyaml_file", Label: "clouds.yaml File", Editable: true, ToolTip: "Path of the clouds.yaml file."},
	}},
}

// AccountField is a custom field of an account type, as the web UI's
// account forms show it.
type AccountField struct {
	Name, Label, ToolTip string
	Password             bool
}

// AccountTypes lists the account types, sorted, with their custom fields
// in the order of api.md §2.3.
func AccountTypes() (types []string, fields map[string][]AccountField) {
	fields = map[string][]AccountField{}
	for typ, conf := range accountTypes {
		types = append(types, typ)
		for _, f := range conf.Fields {
			fields[typ] = append(fields[typ], AccountField{Name: f.Name, Label: f.Label, ToolTip: f.ToolTip, Password: f.Password})
		}
	}
	slices.Sort(types)
	return types, fields
}

type accountConfig struct {
	IdentifierLabel   string        `json:"identifier_label"`
	IdentifierToolTip string        `json:"identifier_tool_tip"`
	Fields            []fieldConfig `json:"fields"`
}

type fieldConfig struct {
	Name          string   `json:"name"`
	Label         string   `json:"label"`
	Editable      bool     `json:"editable"`
	ToolTip       string   `json:"tool_tip"`
	Password      bool     `json:"password"`
	AllowedValues []string `json:"allowed_values"`
}

type accountConfigBody struct {
	CustomConfigs map[string]accountConfig `json:"custom_configs"`
	Auth          server.AuthInfo          `json:"auth"`
}

func (a *API) accountRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/accounts", Role: monkey.RoleView, Tag: "accounts", Summary: "list accounts",
			Query: params(pageParams, []server.Param{
				{Name: "order_by", Type: "string", Doc: "an account column, or account_type"},
				{Name: "order_dir", Type: "string", Doc: "asc or desc (default desc)"},
				{Name: "active", Type: "boolean", Doc: "true or false"},
				{Name: "third_party", Type: "boolean", Doc: "true or false"},
			}),
			Response: envelope[accountJSON]{}, Handler: a.listAccounts},
		{Method: "POST", Pattern: "/api/1/accounts", Role: monkey.RoleAdmin, Tag: "accounts", Summary: "create an account",
			Request: accountRequest{}, Response: accountAnswer{}, Handler: a.createAccount},
		{Method: "GET", Pattern: "/api/1/accounts/{id}", Role: monkey.RoleView, Tag: "accounts",
			Summary: "an account with its custom fields", Response: accountDetail{}, Handler: a.getAccount},
		{Method: "PUT", Pattern: "/api/1/accounts/{id}", Role: monkey.RoleAdmin, Tag: "accounts", Summary: "update an account",
			Request: accountRequest{}, Response: accountAnswer{}, Handler: a.updateAccount},
		{Method: "DELETE", Pattern: "/api/1/accounts/{id}", Role: monkey.RoleAdmin, Tag: "accounts",
			Summary: "delete an account and all its items", Response: statusBody{}, Status: http.StatusAccepted,
			Handler: a.deleteAccount},
		{Method: "PUT", Pattern: "/api/1/accounts_bulk/batch", Role: monkey.RoleAdmin, Tag: "accounts",
			Summary: "set the active flag of accounts by name", Request: map[string]bool{}, Response: statusBody{},
			Handler: a.bulkAccounts},
		{Method: "GET", Pattern: "/api/1/account_config/{account_fields}", Role: monkey.RoleView, Tag: "accounts",
			Summary: "the fields of each account type (all or custom)", Response: accountConfigBody{}, Handler: a.accountConfig},
	}
}

func (a *API) listAccounts(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	page, count := q.page()
	active, third := q.optBool("active"), q.optBool("third_party")
	orderBy := q.str("order_by")
	desc := !strings.EqualFold(q.str("order_dir"), "asc")
	if q.err != nil {
		return q.err
	}
	keys := map[string]func(x, y monkey.Account) int{
		"id":           func(x, y monkey.Account) int { return cmp.Compare(x.ID, y.ID) },
		"name":         func(x, y monkey.Account) int { return cmp.Compare(x.Name, y.Name) },
		"identifier":   func(x, y monkey.Account) int { return cmp.Compare(x.Identifier, y.Identifier) },
		"notes":        func(x, y monkey.Account) int { return cmp.Compare(x.Notes, y.Notes) },
		"account_type": func(x, y monkey.Account) int { return cmp.Compare(x.Type, y.Type) },
		"active":       func(x, y monkey.Account) int { return cmpBool(x.Active, y.Active) },
		"third_party":  func(x, y monkey.Account) int { return cmpBool(x.ThirdParty, y.ThirdParty) },
	}
	by := keys["id"]
	if orderBy != "" {
		k, ok := keys[orderBy]
		if !ok {
			return monkey.FieldErrorf("order_by", "cannot order accounts by %q", orderBy)
		}
		by = k
	} else {
		desc = false
	}
	all, err := a.st.ListAccounts(r.Context())
	if err != nil {
		return err
	}
	var list []monkey.Account
	for _, acct := range all {
		if (active == nil || acct.Active == *active) && (third == nil || acct.ThirdParty == *third) {
			list = append(list, acct)
		}
	}
	slices.SortStableFunc(list, func(x, y monkey.Account) int {
		c := by(x, y)
		if c == 0 {
			c = cmp.Compare(x.ID, y.ID)
		}
		if desc {
			return -c
		}
		return c
	})
	out := []accountJSON{}
	for _, acct := range pageOf(list, page, count) {
		out = append(out, accountOf(acct))
	}
	server.WriteJSON(w, http.StatusOK, newEnvelope(out, page, len(list), server.Auth(r)))
	return nil
}

func cmpBool(x, y bool) int {
	switch {
	case x == y:
		return 0
	case !x:
		return -1
	}
	return 1
}

// pageOf returns one page of a list held in memory.
func pageOf[T any](list []T, page, count int) []T {
	start := (page - 1) * count
	if start >= len(list) {
		return nil
	}
	return list[start:min(start+count, len(list))]
}

// accountFrom validates an account request into acct (fields absent from
// an update keep their value).
func accountFrom(req accountRequest, acct *monkey.Account, create bool) error {
	if req.AccountType != nil {
		acct.Type = strings.TrimSpace(*req.AccountType)
	}
	if acct.Type == "" {
		acct.Type = monkey.CloudAWS
	}
	conf, ok := accountTypes[acct.Type]
	if !ok {
		return monkey.FieldErrorf("account_type", "account_type must be AWS, GCP, OpenStack or GitHub, not %q", truncate(acct.Type))
	}
	if req.Name != nil {
		acct.Name = strings.TrimSpace(*req.Name)
	}
	if acct.Name == "" {
		return monkey.FieldErrorf("name", "name is required")
	}
	if req.Identifier != nil {
		acct.Identifier = strings.TrimSpace(*req.Identifier)
	}
	if acct.Type == monkey.CloudAWS {
		acct.Identifier = strings.ReplaceAll(acct.Identifier, "-", "")
		if len(acct.Identifier) != 12 || strings.Trim(acct.Identifier, "0123456789") != "" {
			return monkey.FieldErrorf("identifier", "an AWS account identifier is 12 digits, not %q", truncate(acct.Identifier))
		}
	}
	if acct.Identifier == "" {
		return monkey.FieldErrorf("identifier", "identifier is required")
	}
	if req.Notes != nil {
		acct.Notes = *req.Notes
	}
	if req.Active != nil {
		acct.Active = bool(*req.Active)
	} else if create {
		acct.Active = true
	}
	if req.ThirdParty != nil {
		acct.ThirdParty = bool(*req.ThirdParty)
	}
	if acct.Custom == nil || req.CustomFields != nil {
		custom := map[string]string{}
		for _, f := range conf.Fields {
			v, ok := req.CustomFields[f.Name]
			if !ok || v == nil {
				if old, had := acct.Custom[f.Name]; had && req.CustomFields == nil {
					custom[f.Name] = old
				}
				continue
			}
			s, ok := v.(string)
			if !ok {
				return monkey.FieldErrorf("custom_fields."+f.Name, "%s must be a string", f.Name)
			}
			if s = strings.TrimSpace(s); s != "" {
				custom[f.Name] = s
			}
		}
		for k := range req.CustomFields {
			if !slices.ContainsFunc(conf.Fields, func(f fieldConfig) bool { return f.Name == k }) {
				return monkey.FieldErrorf("custom_fields."+k, "%s accounts have no custom field %q", acct.Type, truncate(k))
			}
		}
		acct.Custom = custom
	}
	return nil
}

// accountConflict gives the spec's text for a duplicate name or identifier.
func accountConflict(err error) error {
	if monkey.ErrorCode(err) == monkey.ECONFLICT {
		return monkey.Errorf(monkey.ECONFLICT, "error. Account name exists.")
	}
	return err
}

func (a *API) createAccount(w http.ResponseWriter, r *http.Request) error {
	var req accountRequest
	if err := server.DecodeJSONMaybeString(r, &req); err != nil {
		return err
	}
	var acct monkey.Account
	if err := accountFrom(req, &acct, true); err != nil {
		return err
	}
	err := a.write(r, "account.create", "account "+acct.Name, nil, func() any { return accountOf(acct) },
		func(tx *store.Store) error { return tx.CreateAccount(r.Context(), &acct) })
	if err != nil {
		return accountConflict(err)
	}
	server.WriteJSON(w, http.StatusOK, accountAnswer{accountJSON: accountOf(acct), Auth: server.Auth(r)})
	return nil
}

func (a *API) account(r *http.Request) (monkey.Account, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return monkey.Account{}, err
	}
	acct, err := a.st.Account(r.Context(), id)
	return acct, mapNotFound(err, "error. Account ID not found.")
}

func customFieldsOf(acct monkey.Account) []customField {
	out := []customField{}
	for _, f := range accountTypes[acct.Type].Fields {
		if v, ok := acct.Custom[f.Name]; ok {
			out = append(out, customField{Name: f.Name, Value: v})
		}
	}
	return out
}

func (a *API) getAccount(w http.ResponseWriter, r *http.Request) error {
	acct, err := a.account(r)
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusOK, accountDetail{accountJSON: accountOf(acct), CustomFields: customFieldsOf(acct), Auth: server.Auth(r)})
	return nil
}

func (a *API) updateAccount(w http.ResponseWriter, r *http.Request) error {
	var req accountRequest
	if err := server.DecodeJSONMaybeString(r, &req); err != nil {
		return err
	}
	acct, err := a.account(r)
	if err != nil {
		return err
	}
	before := accountDetail{accountJSON: accountOf(acct), CustomFields: customFieldsOf(acct)}
	if err := accountFrom(req, &acct, false); err != nil {
		return err
	}
	// Issues of auditors that no longer apply to the account's type go.
	var stale []string
	if before.AccountType != acct.Type {
		for _, t := range a.d.Technologies {
			if t.Cloud != "" && t.Cloud != acct.Type {
				stale = append(stale, t.Index)
			}
		}
	}
	err = a.write(r, "account.update", fmt.Sprintf("account %d", acct.ID), val(before),
		func() any { return accountDetail{accountJSON: accountOf(acct), CustomFields: customFieldsOf(acct)} },
		func(tx *store.Store) error {
			if err := tx.UpdateAccount(r.Context(), acct); err != nil {
				return err
			}
			_, err := tx.DeleteAccountIssues(r.Context(), acct.ID, stale)
			return err
		})
	if err != nil {
		return mapNotFound(accountConflict(err), "error. Account ID not found.")
	}
	server.WriteJSON(w, http.StatusOK, accountAnswer{accountJSON: accountOf(acct), Auth: server.Auth(r)})
	return nil
}

func (a *API) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	acct, err := a.account(r)
	if err != nil {
		return err
	}
	err = a.write(r, "account.delete", fmt.Sprintf("account %d", acct.ID), val(accountOf(acct)), nil,
		func(tx *store.Store) error { return tx.DeleteAccount(r.Context(), acct.ID) })
	if err != nil {
		return mapNotFound(err, "error. Account ID not found.")
	}
	server.WriteJSON(w, http.StatusAccepted, statusBody{Status: "deleted"})
	return nil
}

func (a *API) bulkAccounts(w http.ResponseWriter, r *http.Request) error {
	var req map[string]flexBool
	if err := server.DecodeJSONMaybeString(r, &req); err != nil {
		return err
	}
	set := make(map[string]bool, len(req))
	for k, v := range req {
		set[k] = bool(v)
	}
	err := a.write(r, "accounts.set_active", "accounts", nil, val(set),
		func(tx *store.Store) error { return tx.SetAccountsActive(r.Context(), set) })
	if err != nil {
		return mapNotFound(err, "error. Account ID not found.")
	}
	server.WriteJSON(w, http.StatusOK, statusBody{Status: "updated"})
	return nil
}

func (a *API) accountConfig(w http.ResponseWriter, r *http.Request) error {
	which := r.PathValue("account_fields")
	if which != "all" && which != "custom" {
		return monkey.FieldErrorf("account_fields", "account_fields is all or custom, not %q", truncate(which))
	}
	out := map[string]accountConfig{}
	for typ, conf := range accountTypes {
		c := accountConfig{IdentifierLabel: conf.IdentifierLabel, IdentifierToolTip: conf.IdentifierToolTip, Fields: []fieldConfig{}}
		if which == "all" {
			c.Fields = append(c.Fields,
				fieldConfig{Name: "identifier", Label: conf.IdentifierLabel, Editable: true, ToolTip: conf.IdentifierToolTip, AllowedValues: []string{}},
				fieldConfig{Name: "name", Label: "Name", Editable: true, ToolTip: "A unique name for the account.", AllowedValues: []string{}},
				fieldConfig{Name: "notes", Label: "Notes", Editable: true, ToolTip: "Free text.", AllowedValues: []string{}})
		}
		for _, f := range conf.Fields {
			if which == "all" && f.Password {
				continue
			}
			if f.AllowedValues == nil {
				f.AllowedValues = []string{}
			}
			c.Fields = append(c.Fields, f)
		}
		out[typ] = c
	}
	server.WriteJSON(w, http.StatusOK, accountConfigBody{CustomConfigs: out, Auth: server.Auth(r)})
	return nil
}
