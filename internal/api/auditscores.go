package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// auditScoreJSON is AUDIT_SCORE.
type auditScoreJSON struct {
	ID         int64  `json:"id"`
	Method     string `json:"method"`
	Technology string `json:"technology"`
	Score      string `json:"score"`
	Disabled   bool   `json:"disabled"`
}

type auditScoreAnswer struct {
	auditScoreJSON
	Auth server.AuthInfo `json:"auth"`
}

type auditScoreRequest struct {
	Method     *string   `json:"method"`
	Technology *string   `json:"technology"`
	Score      *flexInt  `json:"score"`
	Disabled   *flexBool `json:"disabled"`
}

// patternJSON is ACCOUNT_PATTERN_AUDIT_SCORE.
type patternJSON struct {
	ID             int64  `json:"id"`
	AccountType    string `json:"account_type"`
	AccountField   string `json:"account_field"`
	AccountPattern string `json:"account_pattern"`
	Score          string `json:"score"`
}

type patternAnswer struct {
	patternJSON
	Auth server.AuthInfo `json:"auth"`
}

type patternRequest struct {
	AccountType    *string  `json:"account_type"`
	AccountField   *string  `json:"account_field"`
	AccountPattern *string  `json:"account_pattern"`
	Score          *flexInt `json:"score"`
	AuditScoreID   *flexInt `json:"itemauditscores_id"`
}

func auditScoreOf(s monkey.AuditScore) auditScoreJSON {
	return auditScoreJSON{ID: s.ID, Method: s.Method, Technology: s.Technology, Score: strconv.Itoa(s.Score), Disabled: s.Disabled}
}

func patternOf(p monkey.AccountPatternScore) patternJSON {
	return patternJSON{ID: p.ID, AccountType: p.AccountType, AccountField: p.AccountField, AccountPattern: p.AccountPattern,
		Score: strconv.Itoa(p.Score)}
}

const (
	auditScoreNotFound = "Override Audit Score with the given ID not found."
	patternNotFound    = "Account pattern audit score with the given ID not found."
)

func (a *API) auditScoreRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/auditscores", Role: monkey.RoleView, Tag: "auditscores",
			Summary: "list the score overrides, by technology", Query: pageParams, Response: envelope[auditScoreJSON]{},
			Handler: a.listAuditScores},
		{Method: "POST", Pattern: "/api/1/auditscores", Role: monkey.RoleAdmin, Tag: "auditscores",
			Summary: "create or update the override of a check (technology, method)", Request: auditScoreRequest{},
			Response: auditScoreAnswer{}, Status: http.StatusCreated, Handler: a.createAuditScore},
		{Method: "GET", Pattern: "/api/1/auditscores/{id}", Role: monkey.RoleView, Tag: "auditscores",
			Summary: "one score override", Response: auditScoreAnswer{}, Handler: a.getAuditScore},
		{Method: "PUT", Pattern: "/api/1/auditscores/{id}", Role: monkey.RoleAdmin, Tag: "auditscores",
			Summary: "update a score override", Request: auditScoreRequest{}, Response: auditScoreAnswer{}, Handler: a.updateAuditScore},
		{Method: "DELETE", Pattern: "/api/1/auditscores/{id}", Role: monkey.RoleAdmin, Tag: "auditscores",
			Summary: "delete a score override and its account patterns", Response: statusBody{}, Status: http.StatusAccepted,
			Handler: a.deleteAuditScore},
		{Method: "GET", Pattern: "/api/1/auditscores/{id}/accountpatternauditscores", Role: monkey.RoleView, Tag: "auditscores",
			Summary: "the account pattern scores of an override", Query: pageParams, Response: envelope[patternJSON]{},
			Handler: a.listPatterns},
		{Method: "POST", Pattern: "/api/1/accountpatternauditscores", Role: monkey.RoleAdmin, Tag: "auditscores",
			Summary: "create or update an account pattern score of an override", Request: patternRequest{},
			Response: patternAnswer{}, Status: http.StatusCreated, Handler: a.createPattern},
		{Method: "GET", Pattern: "/api/1/accountpatternauditscores/{id}", Role: monkey.RoleView, Tag: "auditscores",
			Summary: "one account pattern score", Response: patternAnswer{}, Handler: a.getPattern},
		{Method: "PUT", Pattern: "/api/1/accountpatternauditscores/{id}", Role: monkey.RoleAdmin, Tag: "auditscores",
			Summary: "update an account pattern score", Request: patternRequest{}, Response: patternAnswer{}, Handler: a.updatePattern},
		{Method: "DELETE", Pattern: "/api/1/accountpatternauditscores/{id}", Role: monkey.RoleAdmin, Tag: "auditscores",
			Summary: "delete an account pattern score", Response: statusBody{}, Status: http.StatusAccepted, Handler: a.deletePattern},
	}
}

func (a *API) listAuditScores(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	page, count := q.page()
	if q.err != nil {
		return q.err
	}
	all, err := a.st.ListAuditScores(r.Context())
	if err != nil {
		return err
	}
	out := []auditScoreJSON{}
	for _, s := range pageOf(all, page, count) {
		out = append(out, auditScoreOf(s))
	}
	server.WriteJSON(w, http.StatusOK, newEnvelope(out, page, len(all), server.Auth(r)))
	return nil
}

// auditScoreFrom validates a request into s: the technology must be
// implemented and the method one of its override keys.
func (a *API) auditScoreFrom(req auditScoreRequest, s *monkey.AuditScore, create bool) error {
	if req.Method != nil {
		s.Method = strings.TrimSpace(*req.Method)
	}
	if req.Technology != nil {
		s.Technology = strings.TrimSpace(*req.Technology)
	}
	if req.Score != nil {
		s.Score = int(*req.Score)
	}
	if req.Disabled != nil {
		s.Disabled = bool(*req.Disabled)
	} else if create {
		return monkey.FieldErrorf("disabled", "disabled is required (true or false)")
	}
	if s.Method == "" {
		return monkey.FieldErrorf("method", "method is required")
	}
	if s.Technology == "" {
		return monkey.FieldErrorf("technology", "technology is required")
	}
	if _, ok := a.techs[s.Technology]; !ok {
		return monkey.FieldErrorf("technology", "unknown technology %q", truncate(s.Technology))
	}
	if !slices.Contains(a.d.TechMethods[s.Technology], s.Method) {
		return monkey.FieldErrorf("method", "%q is not a check of %s (see /api/1/techmethods/all)", truncate(s.Method), s.Technology)
	}
	return nil
}

func (a *API) createAuditScore(w http.ResponseWriter, r *http.Request) error {
	var req auditScoreRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	var s monkey.AuditScore
	if err := a.auditScoreFrom(req, &s, true); err != nil {
		return err
	}
	err := a.write(r, "audit_score.create", "audit score "+s.Technology+" "+s.Method, nil, func() any { return auditScoreOf(s) },
		func(tx *store.Store) error { return tx.UpsertAuditScore(r.Context(), &s) })
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusCreated, auditScoreAnswer{auditScoreJSON: auditScoreOf(s), Auth: server.Auth(r)})
	return nil
}

func (a *API) auditScore(r *http.Request) (monkey.AuditScore, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return monkey.AuditScore{}, err
	}
	s, err := a.st.AuditScore(r.Context(), id)
	return s, mapNotFound(err, auditScoreNotFound)
}

func (a *API) getAuditScore(w http.ResponseWriter, r *http.Request) error {
	s, err := a.auditScore(r)
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusOK, auditScoreAnswer{auditScoreJSON: auditScoreOf(s), Auth: server.Auth(r)})
	return nil
}

func (a *API) updateAuditScore(w http.ResponseWriter, r *http.Request) error {
	var req auditScoreRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	s, err := a.auditScore(r)
	if err != nil {
		return err
	}
	before := auditScoreOf(s)
	if err := a.auditScoreFrom(req, &s, false); err != nil {
		return err
	}
	err = a.write(r, "audit_score.update", fmt.Sprintf("audit score %d", s.ID), val(before), func() any { return auditScoreOf(s) },
		func(tx *store.Store) error { return tx.SetAuditScoreFields(r.Context(), s) })
	if err != nil {
		return mapNotFound(err, auditScoreNotFound)
	}
	server.WriteJSON(w, http.StatusOK, auditScoreAnswer{auditScoreJSON: auditScoreOf(s), Auth: server.Auth(r)})
	return nil
}

func (a *API) deleteAuditScore(w http.ResponseWriter, r *http.Request) error {
	s, err := a.auditScore(r)
	if err != nil {
		return err
	}
	err = a.write(r, "audit_score.delete", fmt.Sprintf("audit score %d", s.ID), val(auditScoreOf(s)), nil,
		func(tx *store.Store) error { return tx.DeleteAuditScore(r.Context(), s.ID) })
	if err != nil {
		return mapNotFound(err, auditScoreNotFound)
	}
	server.WriteJSON(w, http.StatusAccepted, statusBody{Status: "deleted"})
	return nil
}

func (a *API) listPatterns(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	page, count := q.page()
	if q.err != nil {
		return q.err
	}
	s, err := a.auditScore(r)
	if err != nil {
		return err
	}
	out := []patternJSON{}
	for _, p := range pageOf(s.Patterns, page, count) {
		out = append(out, patternOf(p))
	}
	server.WriteJSON(w, http.StatusOK, newEnvelope(out, page, len(s.Patterns), server.Auth(r)))
	return nil
}

func patternFrom(req patternRequest, p *monkey.AccountPatternScore) error {
	if req.AccountType != nil {
		p.AccountType = strings.TrimSpace(*req.AccountType)
	}
	if req.AccountField != nil {
		p.AccountField = strings.TrimSpace(*req.AccountField)
	}
	if req.AccountPattern != nil {
		p.AccountPattern = strings.TrimSpace(*req.AccountPattern)
	}
	if req.Score != nil {
		p.Score = int(*req.Score)
	}
	switch {
	case p.AccountField == "":
		return monkey.FieldErrorf("account_field", "account_field is required")
	case p.AccountPattern == "":
		return monkey.FieldErrorf("account_pattern", "account_pattern is required")
	}
	return nil
}

func (a *API) createPattern(w http.ResponseWriter, r *http.Request) error {
	var req patternRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.Score == nil {
		return monkey.FieldErrorf("score", "score is required")
	}
	if req.AuditScoreID == nil {
		return monkey.FieldErrorf("itemauditscores_id", "itemauditscores_id is required")
	}
	var p monkey.AccountPatternScore
	if err := patternFrom(req, &p); err != nil {
		return err
	}
	owner := int64(*req.AuditScoreID)
	err := a.write(r, "account_pattern_score.create", fmt.Sprintf("audit score %d", owner), nil, func() any { return patternOf(p) },
		func(tx *store.Store) error { return tx.UpsertAccountPatternScore(r.Context(), owner, &p) })
	if err != nil {
		return mapNotFound(err, "Audit Score ID not found.")
	}
	server.WriteJSON(w, http.StatusCreated, patternAnswer{patternJSON: patternOf(p), Auth: server.Auth(r)})
	return nil
}

func (a *API) pattern(r *http.Request) (monkey.AccountPatternScore, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return monkey.AccountPatternScore{}, err
	}
	p, _, err := a.st.AccountPatternScore(r.Context(), id)
	return p, mapNotFound(err, patternNotFound)
}

func (a *API) getPattern(w http.ResponseWriter, r *http.Request) error {
	p, err := a.pattern(r)
	if err != nil {
		return err
	}
	server.WriteJSON(w, http.StatusOK, patternAnswer{patternJSON: patternOf(p), Auth: server.Auth(r)})
	return nil
}

func (a *API) updatePattern(w http.ResponseWriter, r *http.Request) error {
	var req patternRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	p, err := a.pattern(r)
	if err != nil {
		return err
	}
	before := patternOf(p)
	if err := patternFrom(req, &p); err != nil {
		return err
	}
	err = a.write(r, "account_pattern_score.update", fmt.Sprintf("account pattern score %d", p.ID), val(before),
		func() any { return patternOf(p) },
		func(tx *store.Store) error { return tx.UpdateAccountPatternScore(r.Context(), p) })
	if err != nil {
		return mapNotFound(err, patternNotFound)
	}
	server.WriteJSON(w, http.StatusOK, patternAnswer{patternJSON: patternOf(p), Auth: server.Auth(r)})
	return nil
}

func (a *API) deletePattern(w http.ResponseWriter, r *http.Request) error {
	p, err := a.pattern(r)
	if err != nil {
		return err
	}
	err = a.write(r, "account_pattern_score.delete", fmt.Sprintf("account pattern score %d", p.ID), val(patternOf(p)), nil,
		func(tx *store.Store) error { return tx.DeleteAccountPatternScore(r.Context(), p.ID) })
	if err != nil {
		return mapNotFound(err, patternNotFound)
	}
	server.WriteJSON(w, http.StatusAccepted, statusBody{Status: "deleted"})
	return nil
}
