package awssim

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Routing of the REST protocols (REST-XML, REST-JSON), shared by both: an
// operation declares its route as Smithy's http trait does,
// "<METHOD> <path pattern>[?<query keys>]":
//
//	GET /2015-03-31/functions/{FunctionName}/policy
//	GET /{Bucket}?acl
//	GET /{Bucket}/{Key+}
//
// A {Label} matches one non-empty path segment (URL-decoded into
// req.labels), a {Label+} the rest of the path; the query keys (key or
// key=value) must be present; a trailing slash is not significant. The
// most specific route wins: more query keys, then more literal segments. The S3 SDK names its operation with
// ?x-id=<Op>; when present it must name the matched operation.

type route struct {
	op     string
	method string
	segs   []string // literal segments, "{Label}" or "{Label+}"
	query  []queryKey
}

type queryKey struct {
	key, value string
	anyValue   bool
}

func parseRoute(op, pattern string) (route, error) {
	method, rest, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(rest, "/") {
		return route{}, fmt.Errorf("operation %s: route %q: want \"METHOD /path[?query]\"", op, pattern)
	}
	path, query, _ := strings.Cut(rest, "?")
	rt := route{op: op, method: method, segs: pathSegments(path)}
	for k, seg := range rt.segs {
		if strings.HasSuffix(seg, "+}") && k != len(rt.segs)-1 {
			return route{}, fmt.Errorf("operation %s: route %q: a greedy label must be last", op, pattern)
		}
	}
	if query != "" {
		for _, kv := range strings.Split(query, "&") {
			k, v, hasValue := strings.Cut(kv, "=")
			rt.query = append(rt.query, queryKey{key: k, value: v, anyValue: !hasValue})
		}
	}
	return rt, nil
}

// pathSegments splits a path into its segments; a trailing slash is not
// significant ("/2015-03-31/functions/" is "/2015-03-31/functions"), and
// "/" is one empty segment.
func pathSegments(path string) []string {
	path = strings.TrimPrefix(path, "/")
	if len(path) > 0 {
		path = strings.TrimSuffix(path, "/")
	}
	return strings.Split(path, "/")
}

func (rt route) literals() int {
	n := 0
	for _, s := range rt.segs {
		if !strings.HasPrefix(s, "{") {
			n++
		}
	}
	return n
}

// compileRoutes builds the routes of a REST service from its operations, the
// most specific first; services of other protocols must not declare any.
func compileRoutes(svc *service) ([]route, error) {
	_, rest := svc.protocol.(restProtocol)
	var routes []route
	for name, op := range svc.ops {
		switch {
		case op.http == "" && rest:
			return nil, fmt.Errorf("service %s: operation %s has no http route", svc.name, name)
		case op.http != "" && !rest:
			return nil, fmt.Errorf("service %s: operation %s has an http route but the protocol is not REST", svc.name, name)
		case op.http == "":
			continue
		}
		rt, err := parseRoute(name, op.http)
		if err != nil {
			return nil, fmt.Errorf("service %s: %w", svc.name, err)
		}
		routes = append(routes, rt)
	}
	slices.SortFunc(routes, func(a, b route) int {
		return cmp.Or(
			cmp.Compare(len(b.query), len(a.query)),
			cmp.Compare(b.literals(), a.literals()),
			cmp.Compare(len(b.segs), len(a.segs)),
			strings.Compare(a.op, b.op))
	})
	return routes, nil
}

// restProtocol marks the protocols routed by operation.http.
type restProtocol interface {
	protocol
	rest()
}

// readRoute finds the operation of a REST request and its path labels. An
// unmatched request gets the operation name of x-id, or "<METHOD> <path>",
// which the service answers with its unknown-operation error.
func readRoute(req *request) *apiError {
	r := req.r
	q := r.URL.Query()
	req.form = q
	segs := pathSegments(r.URL.EscapedPath())
	xid := q.Get("x-id")
	for _, rt := range req.svc.routes {
		if rt.method != r.Method || (xid != "" && xid != rt.op) {
			continue
		}
		if labels, ok := rt.match(segs, q); ok {
			req.op, req.labels = rt.op, labels
			return nil
		}
	}
	req.op = xid
	if req.op == "" {
		req.op = r.Method + " " + r.URL.Path
	}
	return nil
}

func (rt route) match(segs []string, q url.Values) (map[string]string, bool) {
	for _, k := range rt.query {
		vs, ok := q[k.key]
		if !ok || (!k.anyValue && (len(vs) == 0 || vs[0] != k.value)) {
			return nil, false
		}
	}
	var labels map[string]string
	set := func(name, raw string) bool {
		v, err := url.PathUnescape(raw)
		if err != nil || v == "" {
			return false
		}
		if labels == nil {
			labels = map[string]string{}
		}
		labels[name] = v
		return true
	}
	for k, p := range rt.segs {
		if name, ok := strings.CutSuffix(strings.TrimPrefix(p, "{"), "+}"); ok && strings.HasPrefix(p, "{") {
			if k >= len(segs) || !set(name, strings.Join(segs[k:], "/")) {
				return nil, false
			}
			return labels, true
		}
		if k >= len(segs) {
			return nil, false
		}
		if name, ok := strings.CutSuffix(strings.TrimPrefix(p, "{"), "}"); ok && strings.HasPrefix(p, "{") {
			if !set(name, segs[k]) {
				return nil, false
			}
			continue
		}
		if p != segs[k] {
			return nil, false
		}
	}
	return labels, len(segs) == len(rt.segs)
}
