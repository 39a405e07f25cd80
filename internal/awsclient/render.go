package awsclient

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Renderings of AWS values in stored configurations (technologies.md §0.3).

// ISOZ renders t as ISO-Z: "2006-01-02T15:04:05Z" in UTC, fractions dropped.
func ISOZ(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// ISOZPtr renders a possibly missing time as ISO-Z ("" when nil).
func ISOZPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return ISOZ(*t)
}

// PyStr renders t like Python's str(datetime) on a boto3 timestamp:
// "2006-01-02 15:04:05+00:00", with ".ffffff" before the offset only when
// the microseconds are non-zero; nil renders "None".
func PyStr(t *time.Time) string {
	if t == nil {
		return "None"
	}
	u := t.UTC()
	if u.Nanosecond()/1000 != 0 {
		return u.Format("2006-01-02 15:04:05.000000") + "+00:00"
	}
	return u.Format("2006-01-02 15:04:05") + "+00:00"
}

// ISOOff renders t as ISO-OFF, Python's astimezone(UTC).isoformat():
// "2006-01-02T15:04:05+00:00", with ".ffffff" before the offset only when
// the microseconds are non-zero.
func ISOOff(t time.Time) string {
	u := t.UTC()
	if u.Nanosecond()/1000 != 0 {
		return u.Format("2006-01-02T15:04:05.000000") + "+00:00"
	}
	return u.Format("2006-01-02T15:04:05") + "+00:00"
}

// PolicyDocument decodes an IAM policy document as IAM returns it (a
// URL-encoded JSON string) into its JSON object. A document that is already
// plain JSON is accepted too. Numbers are kept as json.Number.
func PolicyDocument(s string) (any, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, fmt.Errorf("decode policy document: empty")
	}
	if t[0] != '{' && t[0] != '[' {
		var (
			dec string
			err error
		)
		// RFC 3986 encoding (IAM: spaces as %20, '+' as %2B) keeps '+';
		// form encoding turns spaces into '+'.
		if strings.Contains(t, "+") && !strings.Contains(t, "%20") {
			dec, err = url.QueryUnescape(t)
		} else {
			dec, err = url.PathUnescape(t)
		}
		if err != nil {
			return nil, fmt.Errorf("decode policy document: %w", err)
		}
		t = dec
	}
	d := json.NewDecoder(strings.NewReader(t))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("decode policy document: %w", err)
	}
	if d.More() {
		return nil, fmt.Errorf("decode policy document: trailing data")
	}
	return v, nil
}

// PolicyDocumentPtr decodes a possibly missing document (nil when absent).
func PolicyDocumentPtr(s *string) (any, error) {
	if s == nil {
		return nil, nil
	}
	return PolicyDocument(*s)
}

// Passthrough converts an SDK output structure into the generic JSON shape
// boto3 returned for it: exported fields under their SDK (= AWS member)
// names, nil pointers / nil slices / empty enums omitted, times as ISO-Z,
// nested structures converted recursively. Union members (interfaces) are
// rendered as {"<Member>": value}.
func Passthrough(v any) any {
	return timeRender(ISOZ).passthrough(reflect.ValueOf(v))
}

// PassthroughPyStr is Passthrough with every timestamp rendered PY-STR,
// as the technologies that stored boto3 structures with str(datetime)
// did (rdssnapshot).
func PassthroughPyStr(v any) any {
	return timeRender(func(t time.Time) string { return PyStr(&t) }).passthrough(reflect.ValueOf(v))
}

// PassthroughISOOff is Passthrough with every timestamp rendered ISO-OFF,
// as CloudAux's orchestrated technologies stored them (acm).
func PassthroughISOOff(v any) any {
	return timeRender(ISOOff).passthrough(reflect.ValueOf(v))
}

var timeType = reflect.TypeOf(time.Time{})

// timeRender renders the timestamps of a passthrough.
type timeRender func(time.Time) string

func (r timeRender) passthrough(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if v.Kind() == reflect.Interface {
			return r.union(v.Elem())
		}
		return r.passthrough(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			return r(v.Interface().(time.Time))
		}
		m := map[string]any{}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			if omit(fv) {
				continue
			}
			m[f.Name] = r.passthrough(fv)
		}
		return m
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return string(v.Bytes())
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = r.passthrough(v.Index(i))
		}
		return out
	case reflect.Map:
		m := make(map[string]any, v.Len())
		it := v.MapRange()
		for it.Next() {
			m[fmt.Sprint(it.Key().Interface())] = r.passthrough(it.Value())
		}
		return m
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int(v.Uint())
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return fmt.Sprint(v.Interface())
}

func omit(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map:
		return v.IsNil()
	case reflect.Slice:
		return v.IsNil()
	case reflect.String:
		return v.Len() == 0 // unset enum
	}
	return false
}

// union renders a Smithy union member type "XMemberName{Value}" as
// {"Name": value}.
func (r timeRender) union(v reflect.Value) any {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	t := v.Type()
	if v.Kind() == reflect.Struct {
		if i := strings.Index(t.Name(), "Member"); i >= 0 {
			if f, ok := t.FieldByName("Value"); ok {
				return map[string]any{t.Name()[i+len("Member"):]: r.passthrough(v.FieldByIndex(f.Index))}
			}
		}
	}
	return r.passthrough(v)
}

// StringOrNull renders an optional string field of a snake_case config:
// the string, or null (Python's None) when the API did not return it.
func StringOrNull(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// EnumOrNull renders an SDK enum field of a snake_case config: its value,
// or null when the API returned none (the SDK's zero value "").
func EnumOrNull[E ~string](e E) any {
	if e == "" {
		return nil
	}
	return string(e)
}

// EC2Time renders t the way EC2's XML replies carry timestamps and boto2
// stored them (the RAW rendering of technologies.md §0.3 for EC2):
// "2006-01-02T15:04:05.000Z", UTC, milliseconds. nil renders null.
func EC2Time(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// EC2NameTag returns the value of the "Name" tag of an EC2 resource, and
// whether it has one (an empty value counts).
func EC2NameTag(tags []ec2types.Tag) (string, bool) {
	for _, t := range tags {
		if aws.ToString(t.Key) == "Name" {
			return aws.ToString(t.Value), true
		}
	}
	return "", false
}
