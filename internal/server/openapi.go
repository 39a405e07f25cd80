package server

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
)

// OpenAPI returns the OpenAPI 3.1 document of routes: every route with its
// summary, minimum role (x-role), parameters and body shapes, derived by
// reflection from the Request and Response values of the route table.
func OpenAPI(routes []Route, version string) ([]byte, error) {
	paths := map[string]map[string]any{}
	for _, rt := range routes {
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": operationID(rt),
			"x-role":      rt.Role,
			"responses":   responses(rt),
		}
		if rt.Tag != "" {
			op["tags"] = []string{rt.Tag}
		}
		if rt.Role == monkey.RoleAnonymous {
			op["security"] = []any{}
		}
		var ps []any
		for _, name := range rt.PathParams() {
			ps = append(ps, map[string]any{"name": name, "in": "path", "required": true, "schema": pathParamSchema(name)})
		}
		for _, p := range rt.Query {
			q := map[string]any{"name": p.Name, "in": "query", "required": false, "schema": paramSchema(p.Type)}
			if p.Doc != "" {
				q["description"] = p.Doc
			}
			if p.Type == "array" {
				q["style"], q["explode"] = "form", false
			}
			ps = append(ps, q)
		}
		if len(ps) > 0 {
			op["parameters"] = ps
		}
		if rt.Request != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(rt.Request))}}}
		}
		if paths[rt.Pattern] == nil {
			paths[rt.Pattern] = map[string]any{}
		}
		paths[rt.Pattern][strings.ToLower(rt.Method)] = op
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Security Monkey API", "version": version,
			"description": "The REST API of monkey (spec/api.md). Roles: anonymous < View < Comment < Justify < Admin; " +
				"x-role is the minimum role of each operation. Sign in with a session cookie (POST /login) and send the " +
				"XSRF-COOKIE value in X-CSRFToken with unsafe methods, or use Authorization: Bearer <API token>."},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie},
				"token":   map[string]any{"type": "http", "scheme": "bearer"},
			},
			"schemas": map[string]any{"Auth": schemaOf(reflect.TypeOf(AuthInfo{}))},
		},
		"security": []any{map[string]any{"session": []string{}}, map[string]any{"token": []string{}}},
	}
	return json.MarshalIndent(doc, "", "  ")
}

func operationID(rt Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, seg := range strings.Split(rt.Pattern, "/") {
		seg = strings.Trim(seg, "{}")
		if seg == "" || seg == "api" || seg == "1" {
			continue
		}
		b.WriteByte('_')
		b.WriteString(strings.ReplaceAll(seg, "-", "_"))
	}
	return b.String()
}

func pathParamSchema(name string) map[string]any {
	if name == "id" || (strings.HasSuffix(name, "_id") && name != "key_id") {
		return map[string]any{"type": "integer"}
	}
	return map[string]any{"type": "string"}
}

func paramSchema(typ string) map[string]any {
	switch typ {
	case "integer", "boolean":
		return map[string]any{"type": typ}
	case "array":
		return map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
	}
	return map[string]any{"type": "string"}
}

func errorSchema(key string) map[string]any {
	return map[string]any{"type": "object", "properties": map[string]any{key: map[string]any{}}}
}

func responses(rt Route) map[string]any {
	out := map[string]any{}
	ok := map[string]any{"description": "success"}
	switch {
	case rt.Produces != "" && rt.Produces != "application/json":
		ok["content"] = map[string]any{rt.Produces: map[string]any{"schema": map[string]any{"type": "string"}}}
	case rt.Response != nil:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(rt.Response))}}
	}
	out[itoa(rt.successStatus())] = ok
	authBody := map[string]any{"application/json": map[string]any{"schema": map[string]any{
		"type": "object", "properties": map[string]any{"auth": map[string]any{"$ref": "#/components/schemas/Auth"}}}}}
	if rt.Role != monkey.RoleAnonymous {
		out["401"] = map[string]any{"description": "not signed in", "content": authBody}
		out["403"] = map[string]any{"description": "role too low (or cross-origin request refused)", "content": authBody}
	}
	out["400"] = map[string]any{"description": "bad input, or a CSRF failure ({\"csrf_error\": …})",
		"content": map[string]any{"application/json": map[string]any{"schema": errorSchema("message")}}}
	if len(rt.PathParams()) > 0 {
		out["404"] = map[string]any{"description": "not found",
			"content": map[string]any{"application/json": map[string]any{"schema": errorSchema(rt.errorKey())}}}
	}
	if rt.Request != nil {
		out["413"] = map[string]any{"description": "request body over 1 MiB"}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

var jsonRaw = reflect.TypeOf(json.RawMessage(nil))

// schemaOf is the JSON Schema of the encoding/json form of t.
func schemaOf(t reflect.Type) map[string]any {
	if t == jsonRaw {
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := schemaOf(t.Elem())
		if typ, ok := s["type"].(string); ok {
			s["type"] = []string{typ, "null"}
		}
		return s
	case reflect.Interface:
		return map[string]any{}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case reflect.Struct:
		props := map[string]any{}
		addFields(t, props)
		return map[string]any{"type": "object", "properties": props}
	}
	return map[string]any{}
}

// addFields adds the JSON fields of struct t: its own fields first, then
// those of embedded structs (the shallower field wins, as in
// encoding/json).
func addFields(t reflect.Type, props map[string]any) {
	var embedded []reflect.Type
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := props[name]; dup {
			continue // the shallower field wins (encoding/json)
		}
		props[name] = schemaOf(f.Type)
	}
	for _, e := range embedded {
		addFields(e, props)
	}
}

// OpenAPIRoute serves the document of routes at /api/1/openapi.json.
func OpenAPIRoute(routes func() []Route, version string) Route {
	return Route{Method: http.MethodGet, Pattern: "/api/1/openapi.json", Role: monkey.RoleAnonymous, Tag: "meta",
		Summary: "this OpenAPI 3.1 document", Handler: func(w http.ResponseWriter, r *http.Request) error {
			doc, err := OpenAPI(routes(), version)
			if err != nil {
				return err
			}
			w.Header().Set("Content-Type", "application/json")
			_, err = w.Write(doc)
			return err
		}}
}
