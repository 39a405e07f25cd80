package config

import (
	"errors"
	"fmt"
	"strings"
)

// Setting is a setting that a technology plugin declares (internal/tech):
// read from the environment and the settings file like the built-in ones,
// validated by its own parser, shown by `monkey config`, and handed to the
// technology's watcher and auditor constructors.
type Setting struct {
	// Name is the Security Monkey name, also the settings-file key.
	Name string
	// Env lists the environment variables that set it, first match wins
	// (MONKEY_<NAME> first, then the Security Monkey name).
	Env []string
	// Doc is one line for `monkey config` and the README.
	Doc string
	// Parse validates and normalises a raw value (a string from the
	// environment; a string, number, bool, nil or list from a settings file).
	Parse func(raw any) (string, error)
}

// Choice returns a Setting parser accepting one of values, case-insensitive
// and trimmed, normalised to the spelling of values; empty means "not set"
// (returned as "").
func Choice(values ...string) func(raw any) (string, error) {
	return func(raw any) (string, error) {
		s, ok := raw.(string)
		if !ok {
			if raw == nil {
				return "", nil
			}
			return "", fmt.Errorf("%v: want one of %s", raw, strings.Join(values, ", "))
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return "", nil
		}
		for _, v := range values {
			if strings.EqualFold(s, v) {
				return v, nil
			}
		}
		return "", fmt.Errorf("%q: want one of %s", s, strings.Join(values, ", "))
	}
}

// applySettings reads the declared settings from the file values (removing
// the keys it consumed) and then the environment (which wins), into c.Tech.
func (c *Config) applySettings(settings []*Setting, file map[string]any, getenv func(string) string) error {
	var errs []error
	for _, s := range settings {
		if raw, ok := file[s.Name]; ok {
			delete(file, s.Name)
			v, err := s.Parse(raw)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", s.Name, err))
				continue
			}
			c.setTech(s.Name, v)
		}
		for _, env := range s.Env {
			raw := getenv(env)
			if raw == "" {
				continue
			}
			v, err := s.Parse(raw)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", env, err))
			} else {
				c.setTech(s.Name, v)
			}
			break
		}
	}
	return errors.Join(errs...)
}

func (c *Config) setTech(name, value string) {
	if c.Tech == nil {
		c.Tech = map[string]string{}
	}
	c.Tech[name] = value
}
