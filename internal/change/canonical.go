// Package change turns item configurations into canonical JSON, computes
// their complete and durable hashes, strips ephemeral paths and diffs
// revisions. It is pure: no I/O.
package change

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
)

// maxDepth bounds nesting so hostile configs cannot exhaust the stack.
const maxDepth = 256

// ErrTooDeep is returned for configs nested deeper than maxDepth.
var ErrTooDeep = errors.New("config nested too deeply")

// Canonical returns the canonical JSON of v: object keys sorted, no
// insignificant whitespace, no HTML escaping, invalid UTF-8 replaced by
// U+FFFD. Equal values always give equal bytes.
func Canonical(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := appendValue(&buf, v, 0); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// AppendCanonical appends the canonical JSON of v to buf.
func AppendCanonical(buf *bytes.Buffer, v any) error { return appendValue(buf, v, 0) }

func appendValue(buf *bytes.Buffer, v any, depth int) error {
	if depth > maxDepth {
		return ErrTooDeep
	}
	switch x := v.(type) {
	case nil:
		buf.WriteString("null")
	case string:
		appendString(buf, x)
	case bool:
		if x {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case json.Number:
		return appendNumber(buf, x)
	case float64:
		return appendFloat(buf, x)
	case float32:
		return appendFloat(buf, float64(x))
	case int:
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), int64(x), 10))
	case int32:
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), int64(x), 10))
	case int64:
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), x, 10))
	case uint64:
		buf.Write(strconv.AppendUint(buf.AvailableBuffer(), x, 10))
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			appendString(buf, k)
			buf.WriteByte(':')
			if err := appendValue(buf, x[k], depth+1); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case map[string]string:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			appendString(buf, k)
			buf.WriteByte(':')
			appendString(buf, x[k])
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := appendValue(buf, e, depth+1); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case []string:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			appendString(buf, e)
		}
		buf.WriteByte(']')
	case []map[string]any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := appendValue(buf, e, depth+1); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case json.RawMessage:
		g, err := Decode(x)
		if err != nil {
			return err
		}
		return appendValue(buf, g, depth+1)
	default:
		return appendReflect(buf, v, depth)
	}
	return nil
}

// appendReflect handles any other JSON-marshalable value (typed structs,
// pointers, other slices and maps) through encoding/json and a generic
// decode, so every value has exactly one canonical form.
func appendReflect(buf *bytes.Buffer, v any, depth int) error {
	rv := reflect.ValueOf(v)
	if (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) && rv.IsNil() {
		buf.WriteString("null")
		return nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("canonical json: %w", err)
	}
	g, err := Decode(raw)
	if err != nil {
		return err
	}
	return appendValue(buf, g, depth+1)
}

func appendNumber(buf *bytes.Buffer, n json.Number) error {
	s := string(n)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), i, 10))
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("canonical json: invalid number %q", s)
	}
	return appendFloat(buf, f)
}

// appendFloat formats like encoding/json (ES6 number formatting), with
// integral values in int64 range written as integers.
func appendFloat(buf *bytes.Buffer, f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("canonical json: unsupported number %v", f)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), int64(f), 10))
		return nil
	}
	abs := math.Abs(f)
	fmtc := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		fmtc = 'e'
	}
	b := strconv.AppendFloat(buf.AvailableBuffer(), f, fmtc, -1, 64)
	if fmtc == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	buf.Write(b)
	return nil
}

const hexDigits = "0123456789abcdef"

func appendString(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				buf.WriteByte('\\')
				buf.WriteByte(c)
			case '\n':
				buf.WriteString(`\n`)
			case '\r':
				buf.WriteString(`\r`)
			case '\t':
				buf.WriteString(`\t`)
			default:
				buf.WriteString(`\u00`)
				buf.WriteByte(hexDigits[c>>4])
				buf.WriteByte(hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf.WriteString(s[start:i])
			buf.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf.WriteString(s[start:i])
			buf.WriteString(`\u202`)
			buf.WriteByte(hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}

// Decode parses stored JSON into generic values (numbers as json.Number).
func Decode(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("decode config: %w", err)
	}
	// More reports false before a stray '}' or ']': only io.EOF from the
	// next token proves the input ended with the object.
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("decode config: trailing data after JSON object")
	}
	if m == nil {
		return nil, errors.New("decode config: not a JSON object")
	}
	return m, nil
}

// Hash returns the hex SHA-256 of canonical bytes.
func Hash(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}
