package audit

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

var timeZero time.Time

// Get walks cfg through object keys; nil when any step is missing or not
// an object.
func Get(cfg any, keys ...string) any {
	v := cfg
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// GetStr is Get returning a string ("" when not a string).
func GetStr(cfg any, keys ...string) string {
	s, _ := Get(cfg, keys...).(string)
	return s
}

// Truthy is Python truthiness of a decoded JSON value.
func Truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case float64:
		return t != 0
	case float32:
		return t != 0
	case int:
		return t != 0
	case int64:
		return t != 0
	case json.Number:
		f, err := t.Float64()
		return err != nil || f != 0
	case map[string]any:
		return len(t) > 0
	case []any:
		return len(t) > 0
	}
	return true
}

// Int converts a decoded JSON number to an int; ok is false for
// non-numbers and non-integral or out-of-range values.
func Int(v any) (int, bool) {
	var f float64
	switch t := v.(type) {
	case float64:
		f = t
	case float32:
		f = float64(t)
	case int:
		return t, true
	case int64:
		return int(t), true
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return int(i), true
		}
		x, err := t.Float64()
		if err != nil {
			return 0, false
		}
		f = x
	default:
		return 0, false
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int(f), true
}

// PyRepr renders a scalar as Python str() would for the values found in
// configs: null → None, integers in decimal, strings unchanged.
func PyRepr(v any) string {
	switch t := v.(type) {
	case nil:
		return "None"
	case string:
		return t
	case bool:
		if t {
			return "True"
		}
		return "False"
	}
	if i, ok := Int(v); ok {
		return strconv.Itoa(i)
	}
	switch t := v.(type) {
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	case json.Number:
		return t.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Strings returns the non-empty string values under key of the objects in
// the list v, in order (nil when v is not a list), e.g. the group ids of
// [{"VpcSecurityGroupId": "sg-1"}, …].
func Strings(v any, key string) []string {
	list, _ := v.([]any)
	var out []string
	for _, e := range list {
		if s := GetStr(e, key); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// StringList returns the strings of the list v, in order, skipping other
// values (nil when v is not a list).
func StringList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
