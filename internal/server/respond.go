package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
)

// MaxBodyBytes bounds request bodies.
const MaxBodyBytes = 1 << 20

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// DecodeJSON reads the JSON body of r into v. Malformed JSON and values of
// the wrong type are EINVALID naming the field; a body over MaxBodyBytes is
// ETOOLARGE. Unknown fields are ignored (the reference UI sends extras).
func DecodeJSON(r *http.Request, v any) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return monkey.Errorf(monkey.ETOOLARGE, "the request body is larger than %d bytes", mb.Limit)
		}
		return monkey.Errorf(monkey.EINVALID, "cannot read the request body")
	}
	return decodeJSONBytes(data, v)
}

func decodeJSONBytes(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return monkey.Errorf(monkey.EINVALID, "a JSON body is required")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return monkey.Errorf(monkey.EINVALID, "malformed JSON: data after the JSON value")
	}
	return nil
}

// DecodeJSONMaybeString decodes a body that is a JSON object or a JSON
// string containing one (the reference UI double-encodes account bodies,
// api.md §1.5).
func DecodeJSONMaybeString(r *http.Request, v any) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return monkey.Errorf(monkey.ETOOLARGE, "the request body is larger than %d bytes", mb.Limit)
		}
		return monkey.Errorf(monkey.EINVALID, "cannot read the request body")
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '"' {
		var inner string
		if err := json.Unmarshal(trimmed, &inner); err != nil {
			return jsonError(err)
		}
		data = []byte(inner)
	}
	return decodeJSONBytes(data, v)
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return monkey.FieldErrorf(field, "expected %s, got a JSON %s", jsonKind(te.Type.Kind().String()), te.Value)
	case errors.As(err, &se):
		return monkey.Errorf(monkey.EINVALID, "malformed JSON at byte %d: %s", se.Offset, se.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return monkey.Errorf(monkey.EINVALID, "malformed JSON: unexpected end of the body")
	}
	return monkey.Errorf(monkey.EINVALID, "malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(k string) string {
	switch k {
	case "int", "int64", "int32", "uint", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	case "slice":
		return "a list"
	case "map", "struct":
		return "an object"
	}
	return fmt.Sprintf("a %s", k)
}
