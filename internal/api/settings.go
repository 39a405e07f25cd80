package api

import (
	"encoding/json"
	"net/http"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// ownSettings are a user's notification settings.
type ownSettings struct {
	DailyAuditEmail bool    `json:"daily_audit_email"`
	ChangeReports   string  `json:"change_reports"`
	Accounts        []int64 `json:"accounts"`
}

type settingsBody struct {
	Settings []ownSettings   `json:"settings"`
	Auth     server.AuthInfo `json:"auth"`
}

// settingsRequest: every key is required; null keeps the value.
type settingsRequest struct {
	Accounts            json.RawMessage `json:"accounts"`
	DailyAuditEmail     json.RawMessage `json:"daily_audit_email"`
	ChangeReportSetting json.RawMessage `json:"change_report_setting"`
}

type savedSettings struct {
	Accounts            []int64 `json:"accounts"`
	ChangeReportSetting string  `json:"change_report_setting"`
	DailyAuditEmail     bool    `json:"daily_audit_email"`
}

type settingsAnswer struct {
	Settings savedSettings   `json:"settings"`
	Auth     server.AuthInfo `json:"auth"`
}

func (a *API) settingsRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/settings", Role: monkey.RoleView, Tag: "settings",
			Summary: "your notification settings", Response: settingsBody{}, Handler: a.getSettings},
		{Method: "POST", Pattern: "/api/1/settings", Role: monkey.RoleView, Tag: "settings",
			Summary: "change your notification settings", Request: savedSettings{}, Response: settingsAnswer{},
			Handler: a.saveSettings},
	}
}

func (a *API) getSettings(w http.ResponseWriter, r *http.Request) error {
	u := caller(r)
	accounts, err := a.st.UserAccounts(r.Context(), u.ID)
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusOK, settingsBody{Settings: []ownSettings{{DailyAuditEmail: u.DailyAudit,
		ChangeReports: u.ChangeReports, Accounts: accounts}}, Auth: server.Auth(r)})
	return nil
}

func (a *API) saveSettings(w http.ResponseWriter, r *http.Request) error {
	var req settingsRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	u, err := a.st.User(ctx, caller(r).ID)
	if err != nil {
		return err
	}
	accounts, err := a.st.UserAccounts(ctx, u.ID)
	if err != nil {
		return err
	}
	before := savedSettings{Accounts: accounts, ChangeReportSetting: u.ChangeReports, DailyAuditEmail: u.DailyAudit}
	isNull := func(m json.RawMessage) bool { return string(m) == "null" }
	switch {
	case req.Accounts == nil:
		return monkey.FieldErrorf("accounts", "accounts is required (a list of account ids)")
	case req.DailyAuditEmail == nil:
		return monkey.FieldErrorf("daily_audit_email", "daily_audit_email is required (true, false or null)")
	case req.ChangeReportSetting == nil:
		return monkey.FieldErrorf("change_report_setting", "change_report_setting is required (ALL, ISSUES, NONE or null)")
	}
	if !isNull(req.Accounts) {
		if err := json.Unmarshal(req.Accounts, &accounts); err != nil {
			return monkey.FieldErrorf("accounts", "accounts must be a list of account ids")
		}
		for _, id := range accounts {
			if _, err := a.st.Account(ctx, id); err != nil {
				return mapNotFound(err, "Account not found.")
			}
		}
	}
	if !isNull(req.DailyAuditEmail) {
		if err := json.Unmarshal(req.DailyAuditEmail, &u.DailyAudit); err != nil {
			return monkey.FieldErrorf("daily_audit_email", "daily_audit_email must be true, false or null")
		}
	}
	if !isNull(req.ChangeReportSetting) {
		var s string
		if err := json.Unmarshal(req.ChangeReportSetting, &s); err != nil || (s != "ALL" && s != "ISSUES" && s != "NONE") {
			return monkey.FieldErrorf("change_report_setting", "change_report_setting must be ALL, ISSUES, NONE or null")
		}
		u.ChangeReports = s
	}
	if accounts == nil {
		accounts = []int64{}
	}
	after := savedSettings{Accounts: accounts, ChangeReportSetting: u.ChangeReports, DailyAuditEmail: u.DailyAudit}
	err = a.write(r, "settings.update", "user "+u.Email, val(before), val(after), func(tx *store.Store) error {
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		return tx.SetUserAccounts(ctx, u.ID, accounts)
	})
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusOK, settingsAnswer{Settings: after, Auth: server.Auth(r)})
	return nil
}
