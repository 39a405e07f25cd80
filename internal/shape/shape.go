// Package shape checks that a decoded JSON config has the stored shape of
// its technology (spec technologies.md): the values the auditors read must
// have the types they expect, or an audit would silently find nothing. Each
// technology declares its shape with this vocabulary (internal/tech/<index>/
// shape.go); `monkey audit-file` checks a config with it before auditing
// and names the first field that does not fit.
package shape

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
)

// Shape checks one decoded JSON value (map[string]any, []any, string,
// json.Number or float64, bool, nil) found at path.
type Shape func(path string, v any) error

// Check checks a whole config against s.
func Check(s Shape, cfg map[string]any) error { return s("", cfg) }

// Field is one key of an Object.
type Field struct {
	Shape    Shape
	Required bool
}

// Object is an object whose listed fields, when present (or always, when
// required), have their shapes; other keys are free.
func Object(fields map[string]Field) Shape {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return func(path string, v any) error {
		m, ok := v.(map[string]any)
		if !ok {
			return mismatch(path, "an object", v)
		}
		for _, k := range keys {
			f := fields[k]
			e, present := m[k]
			if !present {
				if f.Required {
					return fmt.Errorf("%s: missing", join(path, k))
				}
				continue
			}
			if err := f.Shape(join(path, k), e); err != nil {
				return err
			}
		}
		return nil
	}
}

// Opt is an optional field.
func Opt(s Shape) Field { return Field{Shape: s} }

// Req is a required field.
func Req(s Shape) Field { return Field{Shape: s, Required: true} }

// MapOf is an object whose every value has shape s.
func MapOf(s Shape) Shape {
	return func(path string, v any) error {
		m, ok := v.(map[string]any)
		if !ok {
			return mismatch(path, "an object", v)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := s(join(path, k), m[k]); err != nil {
				return err
			}
		}
		return nil
	}
}

// ListOf is an array whose every element has shape s.
func ListOf(s Shape) Shape {
	return func(path string, v any) error {
		l, ok := v.([]any)
		if !ok {
			return mismatch(path, "an array", v)
		}
		for i, e := range l {
			if err := s(path+"["+strconv.Itoa(i)+"]", e); err != nil {
				return err
			}
		}
		return nil
	}
}

// OneOrList is a value of shape s or an array of them (IAM's "string or
// list of strings").
func OneOrList(s Shape) Shape {
	list := ListOf(s)
	return func(path string, v any) error {
		if _, ok := v.([]any); ok {
			return list(path, v)
		}
		return s(path, v)
	}
}

// Nullable accepts null or shape s.
func Nullable(s Shape) Shape {
	return func(path string, v any) error {
		if v == nil {
			return nil
		}
		return s(path, v)
	}
}

// Either accepts a value of the first shape that fits; the error names
// what was wanted.
func Either(want string, shapes ...Shape) Shape {
	return func(path string, v any) error {
		for _, s := range shapes {
			if s(path, v) == nil {
				return nil
			}
		}
		return mismatch(path, want, v)
	}
}

// String, Number, Bool and Any are the scalar shapes.
var (
	String Shape = func(path string, v any) error {
		if _, ok := v.(string); !ok {
			return mismatch(path, "a string", v)
		}
		return nil
	}
	Number Shape = func(path string, v any) error {
		switch v.(type) {
		case json.Number, float64, int, int64:
			return nil
		}
		return mismatch(path, "a number", v)
	}
	Bool Shape = func(path string, v any) error {
		if _, ok := v.(bool); !ok {
			return mismatch(path, "true or false", v)
		}
		return nil
	}
	Any Shape = func(string, any) error { return nil }
)

// Scalar is a string, number, boolean or null (values the reference
// rendered with str()).
var Scalar = Either("a string, number, boolean or null", String, Number, Bool, func(_ string, v any) error {
	if v != nil {
		return fmt.Errorf("not null")
	}
	return nil
})

// strings is a string or a list of strings.
var strings = OneOrList(String)

// principal is "*" or an object whose values are strings or lists of
// strings (AWS, Service, Federated, CanonicalUser).
var principal = Either(`"*" or an object of strings or lists of strings`, String, MapOf(strings))

// statement is one IAM policy statement.
var statement = Object(map[string]Field{
	"Sid":          Opt(String),
	"Effect":       Req(String),
	"Action":       Opt(strings),
	"NotAction":    Opt(strings),
	"Resource":     Opt(strings),
	"NotResource":  Opt(strings),
	"Principal":    Opt(principal),
	"NotPrincipal": Opt(principal),
	"Condition":    Opt(MapOf(MapOf(Either("a condition value", OneOrList(Scalar))))),
})

// PolicyDocument is an IAM or resource policy: an object whose Statement is
// one statement or a list of them.
var PolicyDocument = Object(map[string]Field{
	"Version":   Opt(String),
	"Id":        Opt(String),
	"Statement": Opt(OneOrList(statement)),
})

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func kind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string " + strconv.Quote(truncate(x))
	case bool:
		return "a boolean"
	case json.Number, float64, int, int64:
		return fmt.Sprintf("the number %v", x)
	}
	return fmt.Sprintf("%T", v)
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func mismatch(path, want string, v any) error {
	if path == "" {
		path = "config"
	}
	return fmt.Errorf("%s: want %s, got %s", path, want, kind(v))
}
