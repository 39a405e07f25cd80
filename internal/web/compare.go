package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/secmonkey/monkey/internal/api"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

func (w *Web) compareRoutes() []pageRoute {
	return []pageRoute{
		{method: "GET", pattern: "/compare", mirrors: "GET /api/1/revisions/{revision_id}",
			summary: "two revisions side by side with their differences (left, right: revision ids)", handler: w.compare},
	}
}

type compareSide struct {
	Rev    monkey.Revision
	Item   store.ItemSummary
	Config string
}

type comparePage struct {
	Left, Right compareSide
	Diff        template.HTML
}

func (w *Web) compare(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var sides [2]compareSide
	for i, k := range []string{"left", "right"} {
		id, err := strconv.ParseInt(r.URL.Query().Get(k), 10, 64)
		if err != nil || id <= 0 {
			return monkey.Errorf(monkey.EINVALID, "Give two revision ids: /compare?left=<revision id>&right=<revision id>.")
		}
		rev, err := w.st.Revision(ctx, id)
		if err != nil {
			if monkey.ErrorCode(err) == monkey.ENOTFOUND {
				return monkey.Errorf(monkey.ENOTFOUND, "Revision %d not found.", id)
			}
			return err
		}
		sum, err := w.st.ItemSummary(ctx, rev.ItemID)
		if err != nil {
			return err
		}
		sides[i] = compareSide{Rev: rev, Item: sum, Config: pretty(rev.Config)}
	}
	d, err := api.DiffHTML(sides[0].Rev.Config, sides[1].Rev.Config)
	if err != nil {
		return err
	}
	p := comparePage{Left: sides[0], Right: sides[1], Diff: template.HTML(d)} //nolint:gosec // api.DiffHTML escapes every value
	return w.render(rw, r, http.StatusOK, "compare", "Compare revisions", "search", p)
}
