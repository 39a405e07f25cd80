package web

import "net/http"

func (w *Web) dashboardRoutes() []pageRoute {
	return []pageRoute{
		{method: "GET", pattern: "/{$}", mirrors: "GET /api/1/items", summary: "the dashboard", handler: w.dashboard},
	}
}

func (w *Web) dashboard(rw http.ResponseWriter, r *http.Request) error {
	return w.render(rw, r, http.StatusOK, "dashboard", "Dashboard", "dashboard", nil)
}
