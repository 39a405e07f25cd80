package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/server"
	"github.com/secmonkey/monkey/internal/store"
)

// watcherConfigJSON is WATCHER_CONFIG.
type watcherConfigJSON struct {
	ID       int64  `json:"id"`
	Index    string `json:"index"`
	Interval string `json:"interval"`
	Active   bool   `json:"active"`
}

type watcherConfigRequest struct {
	Index       *string   `json:"index"`
	Interval    *flexInt  `json:"interval"`
	Active      *flexBool `json:"active"`
	RemoveItems *flexBool `json:"remove_items"`
}

// Intervals are the scan intervals offered, in minutes.
var Intervals = []int{15, 60, 720, 1440, 10080}

func (a *API) watcherConfigRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/api/1/watcher_config", Role: monkey.RoleAdmin, Tag: "watcherconfig",
			Summary: "the schedule of every technology (id 0: defaults, no row yet)", Query: pageParams,
			Response: envelope[watcherConfigJSON]{}, Handler: a.listWatcherConfig},
		{Method: "PUT", Pattern: "/api/1/watcher_config/{id}", Role: monkey.RoleAdmin, Tag: "watcherconfig",
			Summary: "set a technology's interval and active flag (applied at the scheduler's next tick); with active false and remove_items, delete all its items",
			Request: watcherConfigRequest{}, Response: authOnly{}, Handler: a.setWatcherConfig},
	}
}

func (a *API) listWatcherConfig(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	page, count := q.page()
	if q.err != nil {
		return q.err
	}
	stored, err := a.st.ListWatcherConfigs(r.Context())
	if err != nil {
		return err
	}
	byIndex := map[string]monkey.WatcherConfig{}
	for _, c := range stored {
		byIndex[c.Index] = c
	}
	out := []watcherConfigJSON{}
	for _, idx := range pageOf(a.order, page, count) {
		c, ok := byIndex[idx]
		if !ok {
			c = monkey.WatcherConfig{Index: idx, Interval: 60, Active: true}
		}
		out = append(out, watcherConfigJSON{ID: c.ID, Index: c.Index, Interval: strconv.Itoa(c.Interval), Active: c.Active})
	}
	server.WriteJSON(w, http.StatusOK, newEnvelope(out, page, len(a.order), server.Auth(r)))
	return nil
}

func (a *API) setWatcherConfig(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req watcherConfigRequest
	if err := server.DecodeJSON(r, &req); err != nil {
		return err
	}
	switch {
	case req.Index == nil:
		return monkey.FieldErrorf("index", "index is required")
	case req.Interval == nil:
		return monkey.FieldErrorf("interval", "interval is required")
	case req.Active == nil:
		return monkey.FieldErrorf("active", "active is required")
	}
	c := monkey.WatcherConfig{Index: *req.Index, Interval: int(*req.Interval), Active: bool(*req.Active)}
	if _, ok := a.techs[c.Index]; !ok {
		return monkey.FieldErrorf("index", "unknown technology %q", truncate(c.Index))
	}
	if !slices.Contains(Intervals, c.Interval) {
		return monkey.FieldErrorf("interval", "interval must be one of 15, 60, 720, 1440 or 10080 minutes")
	}
	ctx := r.Context()
	var before any
	if id != 0 {
		old, err := a.st.WatcherConfigByID(ctx, id)
		if err != nil {
			return mapNotFound(err, "Watcher configuration with the given ID not found.")
		}
		if old.Index != c.Index {
			return monkey.FieldErrorf("index", "row %d configures %s, not %s", id, old.Index, truncate(c.Index))
		}
		before = watcherConfigJSON{ID: old.ID, Index: old.Index, Interval: strconv.Itoa(old.Interval), Active: old.Active}
	}
	remove := req.RemoveItems != nil && bool(*req.RemoveItems) && !c.Active
	after := map[string]any{"index": c.Index, "interval": strconv.Itoa(c.Interval), "active": c.Active, "remove_items": remove}
	var bf func() any
	if before != nil {
		bf = val(before)
	}
	err = a.write(r, "watcher_config.update", "watcher "+c.Index, bf, val(after), func(tx *store.Store) error {
		if err := tx.SetWatcherConfig(ctx, c); err != nil {
			return err
		}
		if remove {
			n, err := tx.DeleteTechnologyItems(ctx, c.Index)
			if err != nil {
				return err
			}
			a.log.Info("items removed with the watcher", "technology", c.Index, "items", n)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set watcher config %s: %w", c.Index, err)
	}
	server.WriteJSON(w, http.StatusOK, authOnly{Auth: server.Auth(r)})
	return nil
}
