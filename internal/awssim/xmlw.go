package awssim

import (
	"bytes"
	"strconv"
	"time"
)

// xw is a minimal, allocation-light XML writer: responses are large (1000
// security groups per page) and reflection-based encoding is too slow.
type xw struct{ buf bytes.Buffer }

func newXW() *xw { return newXWSize(1024) }

func newXWSize(n int) *xw {
	x := &xw{}
	x.buf.Grow(n)
	return x
}

func (x *xw) bytes() []byte { return x.buf.Bytes() }
func (x *xw) len() int      { return x.buf.Len() }

// raw writes s unescaped.
func (x *xw) raw(s string) { x.buf.WriteString(s) }

func (x *xw) open(name string) {
	x.buf.WriteByte('<')
	x.buf.WriteString(name)
	x.buf.WriteByte('>')
}

func (x *xw) close(name string) {
	x.buf.WriteString("</")
	x.buf.WriteString(name)
	x.buf.WriteByte('>')
}

// elem writes <name>escaped value</name>.
func (x *xw) elem(name, value string) {
	x.open(name)
	x.text(value)
	x.close(name)
}

// elemOpt writes elem only when value is not empty.
func (x *xw) elemOpt(name, value string) {
	if value != "" {
		x.elem(name, value)
	}
}

func (x *xw) elemInt(name string, v int) {
	x.open(name)
	x.buf.WriteString(strconv.Itoa(v))
	x.close(name)
}

func (x *xw) elemBool(name string, v bool) {
	if v {
		x.elem(name, "true")
	} else {
		x.elem(name, "false")
	}
}

// elemTime writes an ISO 8601 UTC timestamp.
func (x *xw) elemTime(name string, t time.Time) {
	x.open(name)
	var b [32]byte
	x.buf.Write(t.UTC().AppendFormat(b[:0], "2006-01-02T15:04:05Z"))
	x.close(name)
}

// text writes s escaped for XML character data and attribute values.
func (x *xw) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		case '\t':
			esc = "&#x9;"
		default:
			continue
		}
		x.buf.WriteString(s[last:i])
		x.buf.WriteString(esc)
		last = i + 1
	}
	x.buf.WriteString(s[last:])
}
