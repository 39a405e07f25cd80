package audit

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// PyString renders s as Python's json.dumps does (ensure_ascii=True).
func PyString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r >= 0x7f {
				if r == utf8.RuneError {
					r = 0xfffd
				}
				if r > 0xffff {
					r1, r2 := utf16.EncodeRune(r)
					writeU(&b, r1)
					writeU(&b, r2)
				} else {
					writeU(&b, r)
				}
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func writeU(b *strings.Builder, r rune) {
	h := strconv.FormatInt(int64(r), 16)
	b.WriteString(`\u`)
	b.WriteString(strings.Repeat("0", 4-len(h)))
	b.WriteString(h)
}

// PyList renders a list of strings as Python's json.dumps (auditors.md
// §2.5): ["a", "b"]; the empty list is [].
func PyList(items []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(PyString(s))
	}
	b.WriteByte(']')
	return b.String()
}

// pyListNull renders items with a leading null element when null is set.
func pyListNull(null bool, items []string) string {
	if !null {
		return PyList(items)
	}
	s := PyList(items)
	if len(items) == 0 {
		return "[null]"
	}
	return "[null, " + s[1:]
}

// truncate keeps the first n characters (Unicode code points, as Python
// counts them) of s.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
