package config

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// readSettingsFile reads a JSON object, or a Security Monkey config.py made of
// simple assignments (NAME = 'text' | "text" | number | True | False | None |
// [list of those]); other Python lines are skipped.
func readSettingsFile(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	if strings.EqualFold(filepath.Ext(path), ".json") || bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("parse %s: %w", path, err)
		}
		return m, nil
	}
	return parsePyAssignments(data)
}

func parsePyAssignments(data []byte) (map[string]any, error) {
	out := map[string]any{}
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
			continue // expressions we cannot evaluate are ignored
		}
		out[name] = v
	}
	return out, sc.Err()
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
