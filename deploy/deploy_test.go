// Package deploy holds the deployment artefacts (supervisor, systemd,
// nginx, compose); its tests check their syntax and the settings the
// runtime relies on.
package deploy

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// ini is a parsed INI file: section → key → value (last wins) plus the
// order of sections.
type ini struct {
	sections map[string]map[string][]string
	order    []string
}

func (f ini) get(section, key string) string {
	v := f.sections[section][key]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// parseINI parses supervisor and systemd syntax strictly: every
// non-comment line is a [section] or key=value inside a section.
func parseINI(t *testing.T, path string) ini {
	t.Helper()
	fh, err := os.Open(path)
	require.NoError(t, err)
	defer fh.Close()
	f := ini{sections: map[string]map[string][]string{}}
	cur := ""
	sc := bufio.NewScanner(fh)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, ";") || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "["):
			require.True(t, strings.HasSuffix(line, "]"), "%s:%d: bad section header %q", path, n, line)
			cur = strings.TrimSuffix(strings.TrimPrefix(line, "["), "]")
			require.NotEmpty(t, cur, "%s:%d: empty section", path, n)
			_, dup := f.sections[cur]
			require.False(t, dup, "%s:%d: section %s twice", path, n, cur)
			f.sections[cur] = map[string][]string{}
			f.order = append(f.order, cur)
		default:
			require.NotEmpty(t, cur, "%s:%d: key outside a section", path, n)
			k, v, ok := strings.Cut(line, "=")
			require.True(t, ok, "%s:%d: not key=value: %q", path, n, line)
			k = strings.TrimSpace(k)
			require.Regexp(t, `^[A-Za-z_][A-Za-z0-9_]*$`, k, "%s:%d: bad key", path, n)
			f.sections[cur][k] = append(f.sections[cur][k], strings.TrimSpace(v))
		}
	}
	require.NoError(t, sc.Err())
	return f
}

func TestSupervisorPrograms(t *testing.T) {
	t.Parallel()
	f := parseINI(t, "supervisor/security_monkey.conf")
	for _, tc := range []struct{ program, sub string }{
		{"program:monkey-api", "monkey api"},
		{"program:monkey-scheduler", "monkey scheduler"},
		{"program:monkey-worker", "monkey worker"},
	} {
		t.Run(tc.program, func(t *testing.T) {
			t.Parallel()
			_, ok := f.sections[tc.program]
			require.True(t, ok, "missing [%s]", tc.program)
			cmd := f.get(tc.program, "command")
			require.Contains(t, cmd, "exec /usr/local/bin/"+tc.sub)
			require.Zero(t, strings.Count(cmd, "'")%2, "balanced quotes in %q", cmd)
			for k, want := range map[string]string{"autostart": "true", "autorestart": "true", "stopasgroup": "true", "killasgroup": "true", "stopsignal": "TERM"} {
				require.Equal(t, want, f.get(tc.program, k), k)
			}
			for _, k := range []string{"stdout_logfile", "stderr_logfile"} {
				require.True(t, strings.HasPrefix(f.get(tc.program, k), "/var/log/security_monkey/"), "%s=%s", k, f.get(tc.program, k))
			}
		})
	}
	require.Equal(t, "monkey-api,monkey-scheduler,monkey-worker", f.get("group:security_monkey", "programs"))
	// Workers get longer than the runtime's 30 s shutdown grace.
	require.Equal(t, "45", f.get("program:monkey-worker", "stopwaitsecs"))
	require.Contains(t, f.get("program:monkey-worker", "process_name"), "%(process_num)")
}

func TestSystemdUnits(t *testing.T) {
	t.Parallel()
	known := map[string]map[string]bool{
		"Unit":    {"Description": true, "Documentation": true, "After": true, "Wants": true, "Requires": true},
		"Install": {"WantedBy": true},
		"Service": {"Type": true, "User": true, "Group": true, "EnvironmentFile": true, "Environment": true,
			"ExecStart": true, "Restart": true, "RestartSec": true, "KillSignal": true, "KillMode": true,
			"TimeoutStopSec": true, "WorkingDirectory": true, "StateDirectory": true, "LogsDirectory": true,
			"StandardOutput": true, "StandardError": true, "NoNewPrivileges": true, "ProtectSystem": true,
			"ProtectHome": true, "PrivateTmp": true},
	}
	units, err := filepath.Glob("systemd/*.service")
	require.NoError(t, err)
	require.Len(t, units, 4)
	for _, u := range units {
		t.Run(filepath.Base(u), func(t *testing.T) {
			t.Parallel()
			f := parseINI(t, u)
			require.Equal(t, []string{"Unit", "Service", "Install"}, f.order)
			for sec, keys := range f.sections {
				for k := range keys {
					require.True(t, known[sec][k], "unknown directive %s.%s", sec, k)
				}
			}
			exec := f.get("Service", "ExecStart")
			require.True(t, strings.HasPrefix(exec, "/usr/local/bin/monkey "), exec)
			requireValidPorts(t, exec)
			require.Equal(t, "/etc/security_monkey/monkey.env", f.get("Service", "EnvironmentFile"))
			if f.get("Service", "Type") != "oneshot" {
				require.Equal(t, "always", f.get("Service", "Restart"))
				require.Equal(t, "control-group", f.get("Service", "KillMode"))
				require.Contains(t, f.get("Service", "StandardOutput"), "/var/log/security_monkey/")
			}
		})
	}
	if _, err := exec.LookPath("systemd-analyze"); err == nil {
		// Only the syntax: the binary and user do not exist on a build
		// machine, so such complaints are expected and ignored.
		out, _ := exec.Command("systemd-analyze", append([]string{"verify", "--man=no"}, units...)...).CombinedOutput()
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "Unknown key") || strings.Contains(line, "Invalid section") || strings.Contains(line, "Failed to parse") {
				t.Errorf("systemd-analyze: %s", line)
			}
		}
	}
}

// requireValidPorts checks the addresses of a command line for every
// instance of a template unit (%i from 1 to 200): a port from 1024 to
// 65535.
func requireValidPorts(t *testing.T, cmd string) {
	t.Helper()
	addr := regexp.MustCompile(`(?:--metrics-addr|--listen)[ =](\S+)`)
	for i := 1; i <= 200; i++ {
		line := strings.ReplaceAll(cmd, "%i", fmt.Sprint(i))
		for _, m := range addr.FindAllStringSubmatch(line, -1) {
			_, port, ok := strings.Cut(m[1], ":")
			n, err := strconv.Atoi(port)
			require.True(t, ok && err == nil && n >= 1024 && n <= 65535, "instance %d: invalid port in %q", i, line)
		}
		if !strings.Contains(cmd, "%i") {
			return
		}
	}
}

// The environment file is shared by every process of a host: a fixed
// metrics address there would make the second scheduler or worker fail.
func TestEnvFileLeavesMetricsAddressUnset(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("env/monkey.env.example")
	require.NoError(t, err)
	require.NotRegexp(t, `(?m)^MONKEY_METRICS_ADDR=`, string(b))
}

func TestComposeFile(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("compose/compose.yaml")
	require.NoError(t, err)
	var c struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			DependsOn   map[string]struct {
				Condition string `yaml:"condition"`
			} `yaml:"depends_on"`
			Healthcheck *struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	require.NoError(t, dec.Decode(&c))
	for _, s := range []string{"api", "scheduler", "worker", "redis", "postgres", "migrate"} {
		require.Contains(t, c.Services, s)
	}
	for _, s := range []string{"api", "scheduler", "worker"} {
		svc := c.Services[s]
		require.Equal(t, s, svc.Command[0], "%s runs `monkey %s`", s, s)
		require.Contains(t, svc.Environment["MONKEY_DATABASE_URL"], "@postgres:5432/")
		require.Equal(t, "redis://redis:6379/0", svc.Environment["MONKEY_BROKER_URL"])
		require.Equal(t, "service_completed_successfully", svc.DependsOn["migrate"].Condition, "%s starts after the migration", s)
	}
	require.NotNil(t, c.Services["postgres"].Healthcheck)
	require.NotNil(t, c.Services["redis"].Healthcheck)
	require.Contains(t, c.Volumes, "pgdata")
}

func TestNginxSite(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("nginx/security_monkey.conf")
	require.NoError(t, err)
	site := string(b)
	checkNginxStructure(t, site)
	for _, want := range []string{
		"listen 443 ssl", "ssl_certificate ", "ssl_certificate_key ", "ssl_protocols TLSv1.2 TLSv1.3",
		"Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy",
		"location /api/", "login|logout", "location /static/", "location = /metrics { deny all; }", "location / {",
		"return 301 https://",
	} {
		require.Contains(t, site, want)
	}
	if _, err := exec.LookPath("nginx"); err != nil {
		t.Log("nginx not installed: structural check only")
		return
	}
	// nginx -t on a wrapper config with a throwaway certificate and paths.
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	site = strings.NewReplacer(
		"/etc/ssl/certs/securitymonkey.pem", cert,
		"/etc/ssl/private/securitymonkey.key", key,
		"/var/log/nginx/", dir+"/",
	).Replace(site)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "site.conf"), []byte(site), 0o644))
	main := fmt.Sprintf("pid %s/nginx.pid;\nerror_log %s/error.log;\nevents {}\nhttp {\n  access_log off;\n  include %s/site.conf;\n}\n", dir, dir, dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main), 0o644))
	out, err := exec.Command("nginx", "-t", "-p", dir, "-c", filepath.Join(dir, "nginx.conf")).CombinedOutput()
	require.NoError(t, err, string(out))
}

var nginxComment = regexp.MustCompile(`(?m)#.*$`)

// checkNginxStructure checks balanced braces and that every statement ends
// with ';' or opens a block.
func checkNginxStructure(t *testing.T, conf string) {
	t.Helper()
	depth := 0
	for i, raw := range strings.Split(nginxComment.ReplaceAllString(conf, ""), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		inQuote := false
		for _, r := range line {
			switch {
			case r == '"':
				inQuote = !inQuote
			case inQuote:
			case r == '{':
				depth++
			case r == '}':
				depth--
				require.GreaterOrEqual(t, depth, 0, "line %d: unbalanced }", i+1)
			}
		}
		require.False(t, inQuote, "line %d: unterminated quote", i+1)
		last := line[len(line)-1]
		require.Contains(t, ";{}", string(last), "line %d: statement must end with ';': %q", i+1, line)
	}
	require.Zero(t, depth, "unbalanced braces")
}

func selfSigned(t *testing.T, dir string) (certPath, keyPath string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "securitymonkey.example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	require.NoError(t, err)
	kder, err := x509.MarshalECPrivateKey(k)
	require.NoError(t, err)
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600))
	return certPath, keyPath
}

func TestEnvExampleNamesAreKnown(t *testing.T) {
	t.Parallel()
	f, err := os.Open("env/monkey.env.example")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, _, ok := strings.Cut(line, "=")
		require.True(t, ok, line)
		require.Regexp(t, `^(MONKEY_|METRICS_)[A-Z_]+$`, k)
	}
}
