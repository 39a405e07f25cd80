package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// runStdin runs `monkey args…` with stdin and returns stdout.
func (c *cluster) runStdin(stdin string, args ...string) string {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = c.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	require.NoError(c.t, cmd.Run(), "monkey %s: %s", strings.Join(args, " "), errb.String())
	return out.String()
}

// apiClient talks to the API.
type apiClient struct {
	t      *testing.T
	base   string
	bearer string
	http   *http.Client
	header map[string]string
}

func (a apiClient) call(method, path string, body any) (int, map[string]any) {
	a.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(a.t, err)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, r)
	require.NoError(a.t, err)
	req.Header.Set("Content-Type", "application/json")
	if a.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+a.bearer)
	}
	for k, v := range a.header {
		req.Header.Set(k, v)
	}
	client := a.http
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	require.NoError(a.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(a.t, err)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	return resp.StatusCode, m
}

// TestAPIEndToEnd is the REST API through the built binary: scan the
// simulated AWS, create users and tokens with the command line, start
// `monkey api`, read with a View token, justify with a Justify token (a
// View token is refused), sign in with a password and comment with the
// session cookie and XSRF token, refuse a cross-origin POST, and find the
// justification in the action log.
func TestAPIEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test through the binary; skipped with -short")
	}
	dir := t.TempDir()
	c := &cluster{t: t, dir: dir}
	t.Cleanup(c.stopAll)
	c.startSim(2)
	c.env = append(baseEnv(), "MONKEY_DATABASE_URL="+filepath.Join(dir, "monkey.db"),
		"AWS_ENDPOINT_URL="+c.simURL, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION=us-east-1",
		"MONKEY_LOG_FORMAT=json")
	c.mustRun("migrate")
	c.mustRun("account", "add", "aws", "--name", "prod", "--id", c.simIDs[0])
	c.mustRun("account", "add", "aws", "--name", "dev", "--id", c.simIDs[1])
	c.mustRun("find-changes")

	c.runStdin("viewer-password\n", "user", "add", "viewer@example.com", "--role", "View", "--password-stdin")
	c.runStdin("justifier-password\n", "user", "add", "justifier@example.com", "--role", "Justify", "--password-stdin")
	c.runStdin("commenter-password\n", "user", "add", "commenter@example.com", "--role", "Comment", "--password-stdin")
	viewTok := strings.TrimSpace(c.mustRun("token", "create", "--user", "viewer@example.com", "--name", "ci"))
	justifyTok := strings.TrimSpace(c.mustRun("token", "create", "--user", "justifier@example.com", "--expires", "1h"))
	require.True(t, strings.HasPrefix(viewTok, "smk_"), "the token alone on stdout: %q", viewTok)
	require.NotContains(t, viewTok, "\n")
	var users []map[string]any
	require.NoError(t, json.Unmarshal([]byte(c.mustRun("user", "list", "--json")), &users))
	require.Len(t, users, 3)

	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	api := c.start("api", nil, "api", "--listen", fmt.Sprintf("127.0.0.1:%d", port))
	c.waitFor("the API answers", 30*time.Second, func() (bool, string) {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == 200, resp.Status
	})
	require.True(t, api.alive())

	// Read and filter with a View token.
	view := apiClient{t: t, base: base, bearer: viewTok}
	code, items := view.call("GET", "/api/1/items?count=5", nil)
	require.Equal(t, 200, code)
	require.Greater(t, items["total"].(float64), 10.0)
	code, s3 := view.call("GET", "/api/1/items?technologies=s3&accounts=prod", nil)
	require.Equal(t, 200, code)
	require.Positive(t, s3["total"].(float64))
	require.Less(t, s3["total"].(float64), items["total"].(float64))
	for _, it := range s3["items"].([]any) {
		require.Equal(t, "s3", it.(map[string]any)["technology"])
		require.Equal(t, "prod", it.(map[string]any)["account"])
	}
	code, issues := view.call("GET", "/api/1/issues?accounts=prod&justified=false", nil)
	require.Equal(t, 200, code)
	require.Positive(t, issues["total"].(float64))
	issue := issues["items"].([]any)[0].(map[string]any)
	jpath := fmt.Sprintf("/api/1/issues/%v/justification", issue["id"])

	// Justify: refused to View, done by Justify; then unjustify and
	// justify again.
	code, m := view.call("POST", jpath, map[string]string{"justification": "nope"})
	require.Equal(t, 403, code)
	require.Equal(t, "View", m["auth"].(map[string]any)["roles"])
	justify := apiClient{t: t, base: base, bearer: justifyTok}
	code, m = justify.call("POST", jpath, map[string]string{"justification": "accepted by the e2e test"})
	require.Equal(t, 200, code, "%v", m)
	require.Equal(t, "justifier@example.com", m["result"].(map[string]any)["justified_user"])
	code, _ = justify.call("DELETE", jpath, nil)
	require.Equal(t, 202, code)
	code, _ = justify.call("POST", jpath, map[string]string{"justification": "accepted by the e2e test"})
	require.Equal(t, 200, code)
	code, m = view.call("GET", "/api/1/issues?justified=true", nil)
	require.Equal(t, 200, code)
	require.EqualValues(t, 1, m["total"])

	// Sign in with a password; comment with the session cookie and the
	// XSRF token.
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	browser := apiClient{t: t, base: base, http: &http.Client{Jar: jar}}
	code, m = browser.call("POST", "/login", map[string]string{"email": "commenter@example.com", "password": "commenter-password"})
	require.Equal(t, 200, code, "%v", m)
	csrf := m["csrf_token"].(string)
	cpath := fmt.Sprintf("/api/1/items/%v/comments", issue["item_id"])
	code, _ = browser.call("POST", cpath, map[string]string{"text": "without the token"})
	require.Equal(t, 400, code, "the XSRF token is required")
	browser.header = map[string]string{"X-CSRFToken": csrf}
	code, m = browser.call("POST", cpath, map[string]string{"text": "seen in the e2e test"})
	require.Equal(t, 201, code, "%v", m)
	require.Equal(t, "commenter@example.com", m["user"])
	browser.header["Origin"], browser.header["Sec-Fetch-Site"] = "https://evil.example", "cross-site"
	code, m = browser.call("POST", cpath, map[string]string{"text": "cross-site"})
	require.Equal(t, 403, code, "a cross-origin POST is refused: %v", m)

	// The action log shows the justification: by the API and the command
	// line.
	out := c.mustRun("auditlog", "--json", "--action", "issue.justify")
	var log []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &log))
	require.Len(t, log, 2)
	require.Equal(t, "justifier@example.com", log[0]["user"])
	require.Equal(t, fmt.Sprintf("issue %v", issue["id"]), log[0]["target"])
	require.Equal(t, "accepted by the e2e test", log[0]["after"].(map[string]any)["justification"])
	out = c.mustRun("auditlog", "--action", "user.create,token.create,item_comment.create")
	require.Contains(t, out, "item_comment.create")
	require.Contains(t, out, "token.create")

	// Exports on the command line give the API's rows.
	csvOut := c.mustRun("export", "issues", "--accounts", "prod")
	require.True(t, strings.HasPrefix(csvOut, `"item/technology/name","item/account/name"`))
	require.Contains(t, csvOut, `"accepted by the e2e test"`)
	out = c.mustRun("export", "configs", "--dir", filepath.Join(dir, "configs"), "--technologies", "s3")
	require.Contains(t, out, "item configs written")

	// A revoked token is refused at once.
	var toks []map[string]any
	require.NoError(t, json.Unmarshal([]byte(c.mustRun("token", "list", "--json")), &toks))
	require.Len(t, toks, 2)
	for _, tk := range toks {
		if tk["name"] == "ci" {
			require.NotNil(t, tk["last_used"], "last use recorded")
			c.mustRun("token", "revoke", fmt.Sprint(tk["id"]))
		}
	}
	code, _ = view.call("GET", "/api/1/items", nil)
	require.Equal(t, 401, code)
	require.NoError(t, api.stop(20*time.Second))
}
