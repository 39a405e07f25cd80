package api

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// pyDate renders a time as Python's str(datetime) of a naive UTC value
// (api.md §1.6): "YYYY-MM-DD HH:MM:SS.ffffff", microseconds omitted when
// zero.
func pyDate(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04:05.000000")
}

func pyDatePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := pyDate(*t)
	return &s
}

// envelope is the pagination envelope (api.md §1.3).
type envelope[T any] struct {
	Items []T             `json:"items"`
	Page  int             `json:"page"`
	Total int             `json:"total"`
	Count int             `json:"count"`
	Auth  server.AuthInfo `json:"auth"`
}

func newEnvelope[T any](items []T, page, total int, a server.AuthInfo) envelope[T] {
	if items == nil {
		items = []T{}
	}
	return envelope[T]{Items: items, Page: page, Total: total, Count: len(items), Auth: a}
}

// itemJSON is ITEM with the account and technology.
type itemJSON struct {
	ID          int64  `json:"id"`
	Region      string `json:"region"`
	Name        string `json:"name"`
	Account     string `json:"account"`
	AccountType string `json:"account_type"`
	Technology  string `json:"technology"`
}

// revisionJSON is REVISION.
type revisionJSON struct {
	ID                      int64   `json:"id"`
	DateCreated             string  `json:"date_created"`
	DateLastEphemeralChange *string `json:"date_last_ephemeral_change"`
	Active                  bool    `json:"active"`
	ItemID                  int64   `json:"item_id"`
}

func revisionOf(r monkey.Revision) revisionJSON {
	return revisionJSON{ID: r.ID, DateCreated: pyDate(r.CreatedAt), DateLastEphemeralChange: pyDatePtr(r.DateLastEphemeralChange),
		Active: r.Active, ItemID: r.ItemID}
}

// itemLink is ITEM_LINK.
type itemLink struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// issueJSON is ISSUE with the justifying user and the linked items.
type issueJSON struct {
	ID            int64      `json:"id"`
	Score         int        `json:"score"`
	Issue         string     `json:"issue"`
	Notes         *string    `json:"notes"`
	Fixed         bool       `json:"fixed"`
	Justified     bool       `json:"justified"`
	Justification string     `json:"justification"`
	JustifiedDate *string    `json:"justified_date"`
	ItemID        int64      `json:"item_id"`
	JustifiedUser *string    `json:"justified_user"`
	ItemLinks     []itemLink `json:"item_links"`
}

func issueOf(is monkey.Issue, names map[int64]string) issueJSON {
	out := issueJSON{ID: is.ID, Score: is.Score, Issue: is.Text, Notes: is.Notes, Fixed: is.Fixed, Justified: is.Justified,
		Justification: is.Justification, JustifiedDate: pyDatePtr(is.JustifiedDate), ItemID: is.ItemID, ItemLinks: []itemLink{}}
	if is.Justified && is.JustifiedUser != "" {
		u := is.JustifiedUser
		out.JustifiedUser = &u
	}
	for _, id := range is.LinkedItemIDs {
		out.ItemLinks = append(out.ItemLinks, itemLink{ID: id, Name: names[id]})
	}
	return out
}

// commentJSON is ITEM_COMMENT and REVISION_COMMENT.
type commentJSON struct {
	ID          int64  `json:"id"`
	DateCreated string `json:"date_created"`
	Text        string `json:"text"`
	ItemID      int64  `json:"item_id,omitempty"`
	RevisionID  int64  `json:"revision_id,omitempty"`
	User        string `json:"user"`
}

func commentOf(c store.Comment) commentJSON {
	return commentJSON{ID: c.ID, DateCreated: pyDate(c.CreatedAt), Text: c.Text, ItemID: c.ItemID, RevisionID: c.RevisionID, User: c.User}
}

func commentsOf(cs []store.Comment) []commentJSON {
	out := make([]commentJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, commentOf(c))
	}
	return out
}

// accountJSON is ACCOUNT.
type accountJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Identifier  string `json:"identifier"`
	Notes       string `json:"notes"`
	Active      bool   `json:"active"`
	ThirdParty  bool   `json:"third_party"`
	AccountType string `json:"account_type"`
}

func accountOf(a monkey.Account) accountJSON {
	return accountJSON{ID: a.ID, Name: a.Name, Identifier: a.Identifier, Notes: a.Notes, Active: a.Active,
		ThirdParty: a.ThirdParty, AccountType: a.Type}
}

// userJSON is USER.
type userJSON struct {
	ID              int64   `json:"id"`
	Active          bool    `json:"active"`
	Email           string  `json:"email"`
	Role            string  `json:"role"`
	ConfirmedAt     *string `json:"confirmed_at"`
	DailyAuditEmail bool    `json:"daily_audit_email"`
	ChangeReports   string  `json:"change_reports"`
	LastLoginAt     *string `json:"last_login_at"`
	CurrentLoginAt  *string `json:"current_login_at"`
	LoginCount      int     `json:"login_count"`
	LastLoginIP     *string `json:"last_login_ip"`
	CurrentLoginIP  *string `json:"current_login_ip"`
}

func strOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func userOf(u monkey.User) userJSON {
	return userJSON{ID: u.ID, Active: u.Active, Email: u.Email, Role: u.Role, ConfirmedAt: pyDatePtr(u.ConfirmedAt),
		DailyAuditEmail: u.DailyAudit, ChangeReports: u.ChangeReports, LastLoginAt: pyDatePtr(u.LastLoginAt),
		CurrentLoginAt: pyDatePtr(u.CurrentLoginAt), LoginCount: u.LoginCount, LastLoginIP: strOrNil(u.LastLoginIP),
		CurrentLoginIP: strOrNil(u.CurrentLoginIP)}
}

// flexInt accepts a JSON number or a string holding an integer (scores are
// strings in the reference's answers and either in requests).
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s = strings.TrimSpace(str)
		if s == "" {
			*f = 0
			return nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%s is not an integer", truncate(s))
	}
	*f = flexInt(n)
	return nil
}

// flexBool accepts true/false or the strings "true"/"false".
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(string(b)), `"`)) {
	case "true", "1":
		*f = true
	case "false", "0", "null", "":
		*f = false
	default:
		return fmt.Errorf("%s is not true or false", truncate(string(b)))
	}
	return nil
}
