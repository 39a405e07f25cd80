package config

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MaxSettingsBytes bounds a settings file (JSON or config.py).
const MaxSettingsBytes = 4 << 20

// ReadFileLimited reads a whole file of at most limit bytes: a bigger one
// (or /dev/zero) is an error once limit+1 bytes were read, not a process
// that reads until the kernel stops it.
func ReadFileLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d KiB", path, limit>>10)
	}
	return data, nil
}

// readSettingsFile reads a JSON object, or a Security Monkey config.py made of
// simple assignments (NAME = 'text' | "text" | number | True | False | None |
// [list of those]). The names of other assignments (Python expressions,
// such as % formatting) are returned in skipped: the caller decides which
// ones it cannot do without.
func readSettingsFile(path string) (values map[string]any, skipped []string, err error) {
	data, err := ReadFileLimited(path, MaxSettingsBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("read settings: %w", err)
	}
	if strings.EqualFold(filepath.Ext(path), ".json") || bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, nil, fmt.Errorf("parse %s: %w", path, err)
		}
		return m, nil, nil
	}
	return parsePyAssignments(data)
}

func parsePyAssignments(data []byte) (map[string]any, []string, error) {
	out := map[string]any{}
	var skipped []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		name = strings.TrimSpace(name)
		if !isIdent(name) {
			continue
		}
		v, ok := pyLiteral(strings.TrimSpace(val))
		if !ok {
			skipped = append(skipped, name) // an expression we cannot evaluate
			delete(out, name)
			continue
		}
		out[name] = v
	}
	return out, skipped, sc.Err()
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9') {
			continue
		}
		return false
	}
	return true
}

func pyLiteral(s string) (any, bool) {
	s = stripComment(s)
	switch s {
	case "True":
		return true, true
	case "False":
		return false, true
	case "None":
		return nil, true
	}
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1], true
	}
	if len(s) >= 2 && (s[0] == '[' || s[0] == '(') {
		inner := strings.TrimSpace(s[1 : len(s)-1])
		var list []any
		if inner == "" {
			return list, true
		}
		for _, part := range strings.Split(inner, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			v, ok := pyLiteral(part)
			if !ok {
				return nil, false
			}
			list = append(list, v)
		}
		return list, true
	}
	var n json.Number
	if err := json.Unmarshal([]byte(s), &n); err == nil {
		return string(n), true
	}
	return nil, false
}

// stripComment removes a trailing # comment outside quotes.
func stripComment(s string) string {
	var quote byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '#':
			return strings.TrimSpace(s[:i])
		}
	}
	return strings.TrimSpace(s)
}
