package notify

import (
	"net/url"
	"strconv"
	"strings"
)

// Links builds links into the web UI from its base URL (MONKEY_BASE_URL);
// with no base URL there are no links.
type Links struct {
	Base string
}

func (l Links) base() string { return strings.TrimRight(l.Base, "/") }

// Item links to an item's page.
func (l Links) Item(id int64) string {
	if l.Base == "" || id == 0 {
		return ""
	}
	return l.base() + "/items/" + strconv.FormatInt(id, 10)
}

// Items links to the active items of an account (of one technology when
// technology is not "").
func (l Links) Items(account, technology string) string {
	if l.Base == "" {
		return ""
	}
	q := url.Values{"type": {"items"}, "accounts": {account}, "active": {"true"}}
	if technology != "" {
		q.Set("technologies", technology)
	}
	return l.base() + "/search?" + q.Encode()
}

// Issues links to the unjustified open issues of an account.
func (l Links) Issues(account string) string {
	if l.Base == "" {
		return ""
	}
	q := url.Values{"type": {"issues"}, "accounts": {account}}
	return l.base() + "/search?" + q.Encode()
}
