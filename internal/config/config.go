// Package config loads the typed configuration of monkey from the
// environment and an optional settings file. Security Monkey's setting names
// (spec/config.md) are accepted where they apply.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Secret is a string that redacts itself in logs and dumps.
type Secret string

const redacted = "[REDACTED]"

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// MarshalJSON redacts the secret.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// LogValue redacts the secret in slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Reveal returns the secret value.
func (s Secret) Reveal() string { return string(s) }

// SecretURL is a connection URL that may hold a password: logs and dumps
// show it with the password hidden (which database or broker is in use
// stays visible).
type SecretURL string

// Reveal returns the URL with its password.
func (s SecretURL) Reveal() string { return string(s) }

func (s SecretURL) String() string { return RedactURL(string(s)) }

// MarshalJSON shows the URL with the password hidden.
func (s SecretURL) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// LogValue shows the URL with the password hidden in slog output.
func (s SecretURL) LogValue() slog.Value { return slog.StringValue(s.String()) }

// RedactURL hides the password of a URL (user:password@ and password=
// parameters); a value without a scheme (a file path) is shown as is, one
// that does not parse is hidden whole.
func RedactURL(raw string) string {
	if !strings.Contains(raw, "://") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return redacted
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Config is the whole configuration.
type Config struct {
	// DatabaseURL: a SQLite file path (default ./monkey.db) or postgres://…
	DatabaseURL SecretURL `json:"database_url"`
	// BrokerURL: redis://host:6379/0 (rediss:// for TLS); "" = in-process.
	BrokerURL SecretURL `json:"broker_url"`

	LogLevel  string `json:"log_level"`  // debug, info, warn, error
	LogFormat string `json:"log_format"` // text, json
	LogFile   string `json:"log_file"`

	AWSGovCloud bool `json:"aws_govcloud"`
	// Tech holds the values of the settings declared by the technology
	// plugins (SECURITYGROUP_INSTANCE_DETAIL, SENSITIVE_SERVICES…), by name;
	// a setting that was not given is absent.
	Tech map[string]string `json:"technology_settings,omitempty"`
	// RegionConcurrency bounds regions scanned at once per task.
	RegionConcurrency int `json:"region_concurrency"`

	// Runtime (scheduler-settings names).
	WorkerConcurrency  int           `json:"worker_concurrency"`
	ScheduleAtFullHour bool          `json:"schedule_at_full_hour"`
	OnlyWatch          []string      `json:"security_monkey_only_watch"`
	WatcherIgnore      []string      `json:"security_monkey_watcher_ignore"`
	TaskTimeout        time.Duration `json:"task_timeout"`
	MetricsAddr        string        `json:"metrics_addr"` // scheduler/worker Prometheus listener

	// API.
	APIAddr   string `json:"api_addr"`
	FQDN      string `json:"fqdn"`
	SecretKey Secret `json:"secret_key"`

	// Auth: sign-in, sessions, CSRF, SSO, header auth (auth.go).
	Auth Auth `json:"auth"`

	// Notify: change and audit reports, e-mail, Slack, webhook, Jira
	// (notify.go).
	Notify Notify `json:"notify"`
	// Runtime: leases, ticks, grace periods and the admin token of the
	// long-running processes (runtime.go).
	Runtime Runtime `json:"runtime"`

	// CloudWatch queue metrics (config.md §11).
	MetricsEnabled    bool   `json:"metrics_enabled"`
	MetricsNamespace  string `json:"metrics_namespace"`
	MetricsPostRegion string `json:"metrics_post_region"`

	// Unknown holds accepted names that have no effect here.
	Unknown []string `json:"-"`

	metricsAddrSet bool // metrics_addr given (no ephemeral fallback)
}

// MetricsAddrDefault reports that metrics_addr was not set: the default
// address is used when free, an ephemeral port otherwise (several
// processes on one host).
func (c Config) MetricsAddrDefault() bool { return !c.metricsAddrSet }

// DefaultWorkerConcurrency is the default number of tasks a worker runs at
// once: a scan task spends most of its time waiting for AWS answers (the
// AWS calls are bounded per account and service elsewhere), so it is not
// tied to the CPUs: four per CPU, at least 16.
func DefaultWorkerConcurrency() int { return max(16, 4*runtime.GOMAXPROCS(0)) }

// Default returns the configuration with every default applied.
func Default() Config {
	return Config{
		DatabaseURL:       "monkey.db",
		LogLevel:          "", // auto: info for long-running processes, warn for one-shot commands
		LogFormat:         "text",
		RegionConcurrency: 8,
		WorkerConcurrency: DefaultWorkerConcurrency(),
		TaskTimeout:       30 * time.Minute,
		MetricsAddr:       "127.0.0.1:9102",
		APIAddr:           "127.0.0.1:5000",
		MetricsNamespace:  "securitymonkey",
		MetricsPostRegion: "us-east-1",
		Auth:              defaultAuth(),
		Notify:            defaultNotify(),
		Runtime:           defaultRuntime(),
	}
}

// Load reads the settings file named by SECURITY_MONKEY_SETTINGS (or
// MONKEY_CONFIG), then SM_CELERY_CONFIG, then the environment. getenv is
// os.Getenv in production. settings are the technology plugins' settings
// (internal/tech), read into Config.Tech.
func Load(getenv func(string) string, settings ...*Setting) (Config, error) {
	c := Default()
	var errs []error
	for _, name := range []string{"MONKEY_CONFIG", "SECURITY_MONKEY_SETTINGS", "SM_CELERY_CONFIG"} {
		path := getenv(name)
		if path == "" {
			continue
		}
		if name == "SM_CELERY_CONFIG" && !strings.ContainsAny(path, "./") {
			continue // a Python module name such as "celeryconfig": nothing to read
		}
		values, skipped, err := readSettingsFile(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		for _, k := range skipped {
			if err := unevaluable(path, k, getenv, settings); err != nil {
				errs = append(errs, err)
			}
		}
		if err := c.applySettings(settings, values, func(string) string { return "" }); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
		}
		for _, k := range sortedKeys(values) {
			if err := c.set(k, values[k]); err != nil {
				errs = append(errs, fmt.Errorf("%s %s: %w", path, k, err))
			}
		}
	}
	// Environment: the Security Monkey names and their MONKEY_ equivalents.
	if h := getenv("SECURITY_MONKEY_REDIS_HOST"); h != "" {
		db := getenv("SECURITY_MONKEY_REDIS_DB")
		if db == "" {
			db = "0"
		}
		c.BrokerURL = SecretURL("redis://" + h + ":6379/" + db)
	}
	if h := getenv("SECURITY_MONKEY_POSTGRES_HOST"); h != "" {
		c.DatabaseURL = SecretURL(postgresURL(getenv))
	}
	for _, e := range envNames {
		for _, n := range e.env {
			if v := getenv(n); v != "" {
				if err := c.set(e.key, v); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", n, err))
				}
				break
			}
		}
	}
	if err := c.applySettings(settings, nil, getenv); err != nil {
		errs = append(errs, err)
	}
	if err := c.Auth.fromEnv(getenv); err != nil {
		errs = append(errs, err)
	}
	if err := c.Notify.fromEnv(getenv, os.ReadFile); err != nil {
		errs = append(errs, err)
	}
	if err := c.Runtime.fromEnv(getenv); err != nil {
		errs = append(errs, err)
	}
	c.Runtime.resolve(time.Now())
	if err := c.validate(); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// unevaluable reports a setting of a config.py that is a Python expression
// (Security Monkey's config-docker.py builds SQLALCHEMY_DATABASE_URI with %
// formatting): when monkey knows the setting and the environment does not
// give it, running without it would use a default silently (a local SQLite
// database for a worker meant for Postgres), so it is an error naming the
// setting and the variable to set instead. Unknown names stay ignored.
func unevaluable(path, name string, getenv func(string) string, settings []*Setting) error {
	probe := Default()
	_ = probe.set(name, "x") // known settings take it (or reject the value); unknown ones are listed
	for _, s := range settings {
		if s.Name == name {
			probe.Unknown = nil
		}
	}
	if slices.Contains(probe.Unknown, name) {
		return nil
	}
	key := name
	if alias, ok := settingAliases[name]; ok {
		key = alias
	}
	var envs []string
	for _, e := range envNames {
		if e.key == key {
			envs = e.env
		}
	}
	for _, s := range settings {
		if s.Name == name {
			envs = s.Env
		}
	}
	switch key {
	case "database_url":
		envs = append(envs, "SECURITY_MONKEY_POSTGRES_HOST")
	case "broker_url":
		envs = append(envs, "SECURITY_MONKEY_REDIS_HOST")
	}
	for _, e := range envs {
		if getenv(e) != "" {
			return nil // the environment gives it
		}
	}
	instead := "give it as a plain value"
	if len(envs) > 0 {
		instead = "set " + envs[0] + " in the environment instead"
	}
	return fmt.Errorf("%s: %s is a Python expression monkey cannot evaluate (%% formatting, a function call…): %s", path, name, instead)
}

// FromEnv loads the configuration from the process environment.
func FromEnv(settings ...*Setting) (Config, error) { return Load(os.Getenv, settings...) }

// envNames maps settings to the environment variables that set them, first
// match wins.
var envNames = []struct {
	key string
	env []string
}{
	{"database_url", []string{"MONKEY_DATABASE_URL", "SQLALCHEMY_DATABASE_URI"}},
	{"broker_url", []string{"MONKEY_BROKER_URL", "broker_url", "BROKER_URL"}},
	{"log_level", []string{"MONKEY_LOG_LEVEL", "LOG_LEVEL", "SM_CONSOLE_LOG_LEVEL"}},
	{"log_format", []string{"MONKEY_LOG_FORMAT"}},
	{"log_file", []string{"MONKEY_LOG_FILE", "LOG_FILE"}},
	{"aws_govcloud", []string{"MONKEY_AWS_GOVCLOUD", "AWS_GOVCLOUD"}},
	{"region_concurrency", []string{"MONKEY_REGION_CONCURRENCY"}},
	{"worker_concurrency", []string{"MONKEY_WORKER_CONCURRENCY", "worker_concurrency"}},
	{"schedule_at_full_hour", []string{"MONKEY_SCHEDULE_AT_FULL_HOUR", "schedule_at_full_hour"}},
	{"security_monkey_only_watch", []string{"MONKEY_ONLY_WATCH", "security_monkey_only_watch"}},
	{"security_monkey_watcher_ignore", []string{"MONKEY_WATCHER_IGNORE", "security_monkey_watcher_ignore"}},
	{"task_timeout", []string{"MONKEY_TASK_TIMEOUT"}},
	{"metrics_addr", []string{"MONKEY_METRICS_ADDR"}},
	{"api_addr", []string{"MONKEY_API_ADDR"}},
	{"fqdn", []string{"MONKEY_FQDN", "SECURITY_MONKEY_FQDN", "FQDN"}},
	{"secret_key", []string{"MONKEY_SECRET_KEY", "SECURITY_MONKEY_SECRET_KEY", "SECRET_KEY"}},
	{"metrics_enabled", []string{"MONKEY_METRICS_ENABLED", "METRICS_ENABLED"}},
	{"metrics_namespace", []string{"MONKEY_METRICS_NAMESPACE", "METRICS_NAMESPACE"}},
	{"metrics_post_region", []string{"MONKEY_METRICS_POST_REGION", "METRICS_POST_REGION"}},
}

// settingAliases maps Security Monkey setting names (file keys) to ours.
var settingAliases = map[string]string{
	"SQLALCHEMY_DATABASE_URI": "database_url",
	"LOG_LEVEL":               "log_level",
	"LOG_FILE":                "log_file",
	"AWS_GOVCLOUD":            "aws_govcloud",
	"FQDN":                    "fqdn",
	"SECRET_KEY":              "secret_key",
	"METRICS_ENABLED":         "metrics_enabled",
	"METRICS_NAMESPACE":       "metrics_namespace",
	"METRICS_POST_REGION":     "metrics_post_region",
	"API_PORT":                "api_port",
	"BROKER_URL":              "broker_url",
}

// noEffect lists Security Monkey names accepted without effect (config.md §13
// and settings of features handled elsewhere).
var noEffect = map[string]bool{
	"MISFIRE_GRACE_TIME": true, "REPORTER_START_DELAY": true, "imports": true,
	"worker_max_tasks_per_child": true, "enable_utc": true, "timezone": true,
	"SM_APPSCHEDULER_LOG_LEVEL": true, "DEFAULT_SENSITIVE": true, "LOG_CFG": true,
	"SQLALCHEMY_POOL_SIZE": true, "SQLALCHEMY_MAX_OVERFLOW": true, "ENVIRONMENT": true,
	"USE_ROUTE53": true, "DEBUG": true, "DONT_IGNORE_BOTO_VERBOSE_LOGGERS": true,
	"LOG_SSL_SUBJ_ALT_NAME_ERRORS": true,
}

func (c *Config) set(key string, v any) error {
	if alias, ok := settingAliases[key]; ok {
		key = alias
	}
	s := stringOf(v)
	switch key {
	case "database_url":
		c.DatabaseURL = SecretURL(s)
	case "broker_url":
		c.BrokerURL = SecretURL(s)
	case "log_level":
		c.LogLevel = strings.ToLower(s)
	case "log_format":
		c.LogFormat = strings.ToLower(s)
	case "log_file":
		c.LogFile = s
	case "aws_govcloud":
		return setBool(&c.AWSGovCloud, s)
	case "region_concurrency":
		return setInt(&c.RegionConcurrency, s)
	case "worker_concurrency":
		return setInt(&c.WorkerConcurrency, s)
	case "schedule_at_full_hour":
		return setBool(&c.ScheduleAtFullHour, s)
	case "security_monkey_only_watch":
		c.OnlyWatch = listOf(v)
	case "security_monkey_watcher_ignore":
		c.WatcherIgnore = listOf(v)
	case "task_timeout":
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		c.TaskTimeout = d
	case "metrics_addr":
		c.MetricsAddr = s
		c.metricsAddrSet = true
	case "api_addr":
		c.APIAddr = s
	case "api_port":
		c.APIAddr = "127.0.0.1:" + s
	case "fqdn":
		c.FQDN = s
	case "secret_key":
		c.SecretKey = Secret(s)
	case "metrics_enabled":
		return setBool(&c.MetricsEnabled, s)
	case "metrics_namespace":
		c.MetricsNamespace = s
	case "metrics_post_region":
		c.MetricsPostRegion = s
	default:
		if ok, err := c.Auth.set(key, v); ok {
			return err
		}
		if ok, err := c.Notify.set(key, v); ok {
			return err
		}
		if ok, err := c.Runtime.set(key, v); ok {
			return err
		}
		c.Unknown = append(c.Unknown, key)
	}
	return nil
}

// IgnoredSettings returns accepted names that have no effect, and unknown
// names, for a warning at start.
func (c Config) IgnoredSettings() []string {
	return c.Unknown
}

// NoEffect reports whether a Security Monkey setting is known but has no
// effect in this implementation.
func NoEffect(name string) bool { return noEffect[name] }

func (c Config) validate() error {
	var errs []error
	switch c.LogLevel {
	case "", "debug", "info", "warn", "warning", "error":
	default:
		errs = append(errs, fmt.Errorf("log level %q is not debug, info, warn or error", c.LogLevel))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log_format (MONKEY_LOG_FORMAT): %q is not text or json", c.LogFormat))
	}
	if c.LogFile != "" {
		if fi, err := os.Stat(filepath.Dir(c.LogFile)); err != nil || !fi.IsDir() {
			errs = append(errs, fmt.Errorf("log_file (LOG_FILE): directory %s does not exist", filepath.Dir(c.LogFile)))
		}
	}
	if c.WorkerConcurrency < 1 {
		errs = append(errs, fmt.Errorf("worker_concurrency must be at least 1"))
	}
	if c.TaskTimeout <= 0 {
		errs = append(errs, fmt.Errorf("task_timeout (MONKEY_TASK_TIMEOUT): %s is not a positive duration", c.TaskTimeout))
	}
	if err := c.Runtime.validate(); err != nil {
		errs = append(errs, err)
	}
	if c.RegionConcurrency < 1 {
		errs = append(errs, fmt.Errorf("region_concurrency must be at least 1"))
	}
	if err := c.Auth.validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Notify.validate(); err != nil {
		errs = append(errs, err)
	}
	if b := c.BrokerURL.Reveal(); b != "" {
		u, err := url.Parse(b)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			errs = append(errs, fmt.Errorf("broker_url must be redis://host:port/db or rediss://…"))
		}
	}
	return errors.Join(errs...)
}

func postgresURL(getenv func(string) string) string {
	get := func(k, d string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return d
	}
	u := url.URL{
		Scheme: "postgres",
		User: url.UserPassword(get("SECURITY_MONKEY_POSTGRES_USER", "postgres"),
			get("SECURITY_MONKEY_POSTGRES_PASSWORD", "securitymonkeypassword")),
		Host: get("SECURITY_MONKEY_POSTGRES_HOST", "localhost") + ":" + get("SECURITY_MONKEY_POSTGRES_PORT", "5432"),
		Path: "/" + get("SECURITY_MONKEY_POSTGRES_DATABASE", "secmonkey"),
	}
	return u.String()
}

func stringOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case []any:
		return strings.Join(listOf(x), ",")
	default:
		return fmt.Sprint(x)
	}
}

func listOf(v any) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if s := strings.TrimSpace(stringOf(e)); s != "" {
				out = append(out, s)
			}
		}
	default:
		for _, s := range strings.Split(stringOf(v), ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func setBool(dst *bool, s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		*dst = true
	case "0", "false", "no", "off", "", "none":
		*dst = false
	default:
		return fmt.Errorf("%q is not a boolean", s)
	}
	return nil
}

func setInt(dst *int, s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not an integer", s)
	}
	*dst = n
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
