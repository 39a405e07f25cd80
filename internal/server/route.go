package server

import (
	"net/http"
	"strings"
)

// Route is one HTTP route. The route table (a []Route) is the single source
// of truth for the router, the role checks, the OpenAPI document and the
// role-matrix test: a route cannot be served without a role.
type Route struct {
	Method  string // GET, POST, PUT, PATCH, DELETE
	Pattern string // path with {wildcards}, e.g. /api/1/items/{item_id}
	// Role is the minimum role (monkey.RoleAnonymous … monkey.RoleAdmin).
	// Routes the reference marks "exempt (own)" need a signed-in user:
	// View, the lowest role a user has.
	Role    string
	Summary string
	Tag     string  // OpenAPI group (the entity)
	Query   []Param // query parameters
	// Request and Response are zero values of the body shapes (nil: none).
	Request  any
	Response any
	Status   int    // success status (0 = 200)
	Produces string // success content type ("" = application/json)
	// ErrorKey is the body key of error messages ("" = "status"); see
	// api.md §3.
	ErrorKey string
	// NoCSRF exempts the route from the cross-origin and XSRF checks (SSO
	// callbacks, which identity providers POST to).
	NoCSRF bool
	// Page marks routes answering HTML to browsers (login form): a 401 is
	// then a redirect to the login page.
	Page bool
	// AdminToken accepts the runtime's MONKEY_API_TOKEN as an Admin bearer
	// token on this route.
	AdminToken bool
	Handler    func(w http.ResponseWriter, r *http.Request) error
}

// Param is a query parameter.
type Param struct {
	Name string
	Type string // "string", "integer", "boolean", "array" (comma-separated)
	Doc  string
}

// PathParams returns the {names} of the pattern, in order.
func (rt Route) PathParams() []string {
	var out []string
	for _, seg := range strings.Split(rt.Pattern, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, strings.TrimSuffix(strings.TrimPrefix(seg, "{"), "}"))
		}
	}
	return out
}

func (rt Route) errorKey() string {
	if rt.ErrorKey == "" {
		return "status"
	}
	return rt.ErrorKey
}

func (rt Route) successStatus() int {
	if rt.Status == 0 {
		return http.StatusOK
	}
	return rt.Status
}

// unsafe reports whether the method changes state.
func unsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}
