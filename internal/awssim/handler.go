package awssim

import (
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// request is what every operation handler receives.
type request struct {
	w       http.ResponseWriter
	r       *http.Request
	svc     *service // nil before routing (unsigned request, unknown service)
	acct    *account
	session *session // non-nil when signed with AssumeRole credentials
	region  string
	op      string
	form    url.Values        // query protocols: the form body and the URL query; REST: the URL query
	labels  map[string]string // REST protocols: the path labels of the route
	body    []byte            // the request payload (JSON, CBOR, REST bodies)
	reqID   string
}

// label returns the path label name of a REST request.
func (req *request) label(name string) string { return req.labels[name] }

// decode reads the JSON payload of a JSON or REST-JSON request into v
// (an empty payload is {}).
func (req *request) decode(v any) *apiError {
	if len(req.body) == 0 {
		return nil
	}
	if err := json.Unmarshal(req.body, v); err != nil {
		return errf(http.StatusBadRequest, "SerializationException", "decode request body: %v", err)
	}
	return nil
}

// result is what an operation answers; the service's protocol renders it.
// An operation sets the field of its protocol: xml (awsQuery, ec2Query: the
// content of the result element; REST-XML: the document), json (JSON and
// REST-JSON: encoded with encoding/json), cbor (RPC v2 CBOR) or raw (a
// payload sent as is, with rawType: S3 GetBucketPolicy's JSON document).
// A result with none of them has an empty body (an empty result element in
// the query protocols, {} in the JSON ones).
type result struct {
	xml     *xw
	json    any
	cbor    cbor.Value
	raw     []byte
	rawType string
	header  map[string]string // extra response headers
	status  int               // default 200
}

func xmlResult(x *xw) result         { return result{xml: x} }
func jsonResult(v any) result        { return result{json: v} }
func cborResult(v cbor.Value) result { return result{cbor: v} }

// apiError is an AWS error rendered in the request's protocol.
type apiError struct {
	status  int
	code    string
	message string
	sender  bool
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func errf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...), sender: status < 500}
}

func (e *apiError) fault() string {
	if e.sender {
		return "Sender"
	}
	return "Receiver"
}

// credentialScope extracts AKID, region and service from the SigV4
// Authorization header, or from X-Amz-Credential of a presigned URL.
func credentialScope(r *http.Request) (akid, region, service string, ok bool) {
	cred := ""
	if h := r.Header.Get("Authorization"); h != "" {
		_, rest, found := strings.Cut(h, "Credential=")
		if !found {
			return "", "", "", false
		}
		cred, _, _ = strings.Cut(rest, ",")
	} else if q := r.URL.Query().Get("X-Amz-Credential"); q != "" {
		cred = q
	} else {
		return "", "", "", false
	}
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return "", "", "", false
	}
	return parts[0], parts[2], parts[3], true
}

// serveHTTP routes one request: the control API, or an AWS call routed by
// the service of its credential scope, read by the service's protocol,
// counted, faulted, checked and answered by the operation's handler.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.serveControl(w, r)
		return
	}
	req := &request{w: w, r: r, reqID: s.requestID()}
	akid, region, name, ok := credentialScope(r)
	if !ok {
		s.writeError(req, fallbackProtocol(r), errf(http.StatusForbidden, "MissingAuthenticationToken", "Request is missing a SigV4 Authentication Token"))
		return
	}
	svcs := s.services[name]
	if len(svcs) == 0 {
		s.writeError(req, fallbackProtocol(r), errf(http.StatusBadRequest, "UnknownService", "service %q is not simulated", name))
		return
	}
	svc := svcs[0]
	req.svc, req.region = svc, region
	p := svc.protocol
	if aerr := readBody(req); aerr != nil {
		s.writeError(req, p, aerr)
		return
	}
	if aerr := p.read(req); aerr != nil {
		s.writeError(req, p, aerr)
		return
	}
	if len(svcs) > 1 {
		// Query services sharing a signing name are told apart by the API
		// version of the request (ELB and ELBv2).
		v := req.form.Get("Version")
		i := slices.IndexFunc(svcs, func(c *service) bool { return c.apiVersion == v })
		if i < 0 {
			s.writeError(req, p, errf(http.StatusBadRequest, "NoSuchVersion", "The requested version (%s) of service %s does not exist", v, name))
			return
		}
		svc = svcs[i]
		req.svc, p = svc, svc.protocol
	}
	acct, sess, aerr := s.resolveAccount(akid, r.Header.Get("X-Amz-Security-Token"))
	if aerr != nil {
		s.writeError(req, p, aerr)
		return
	}
	req.acct, req.session = acct, sess
	s.countCall(acct.id, svc.id+"."+req.op)
	if aerr := s.applyFaults(req); aerr != nil {
		s.writeError(req, p, aerr)
		return
	}
	if svc.check != nil {
		if aerr := svc.check(s, req); aerr != nil {
			s.writeError(req, p, aerr)
			return
		}
	}
	op, found := svc.ops[req.op]
	if !found {
		s.writeError(req, p, svc.unknown.err(req.op))
		return
	}
	res, aerr := s.run(op, req)
	if aerr != nil {
		s.writeError(req, p, aerr)
		return
	}
	p.writeResult(req, res)
}

// run calls the operation under the state lock.
func (s *Server) run(op operation, req *request) (result, *apiError) {
	if op.writes {
		s.mu.Lock()
		defer s.mu.Unlock()
	} else {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	return op.handle(s, req)
}

func (s *Server) writeError(req *request, p protocol, err *apiError) {
	svc := ""
	if req.svc != nil {
		svc = req.svc.id
	}
	s.log.Debug("awssim error reply", "service", svc, "operation", req.op, "region", req.region,
		"code", err.code, "status", err.status)
	p.writeError(req, err)
}

const maxBody = 32 << 20

// readBody reads the request payload (gunzipped when Content-Encoding is
// gzip, as the SDK sends large CloudWatch batches), at most 32 MiB.
func readBody(req *request) *apiError {
	r := req.r
	var rd io.Reader = http.MaxBytesReader(req.w, r.Body, maxBody)
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(rd)
		if err != nil {
			return errf(http.StatusBadRequest, "MalformedInput", "bad gzip body: %v", err)
		}
		defer func() { _ = zr.Close() }()
		rd = io.LimitReader(zr, maxBody)
	}
	body, err := io.ReadAll(rd)
	if err != nil {
		return errf(http.StatusBadRequest, "MalformedInput", "read body: %v", err)
	}
	req.body = body
	return nil
}

// session is decoded from the session token of AssumeRole credentials.
type session struct {
	Role, Name string
}

func encodeSessionToken(role, name string) string {
	return "SIM" + base64.RawURLEncoding.EncodeToString([]byte(role+"\x00"+name))
}

func decodeSessionToken(tok string) *session {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, "SIM"))
	if err != nil || !strings.HasPrefix(tok, "SIM") {
		return nil
	}
	role, name, ok := strings.Cut(string(raw), "\x00")
	if !ok {
		return nil
	}
	return &session{Role: role, Name: name}
}

// resolveAccount maps an access key to an account: "ASIA"+<12-digit id>+…
// (issued by AssumeRole) acts in that account; any other key acts in the
// first account.
func (s *Server) resolveAccount(akid, token string) (*account, *session, *apiError) {
	if id, ok := tempKeyAccount(akid); ok {
		a := s.byID[id]
		if a == nil {
			return nil, nil, errf(http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
		}
		return a, decodeSessionToken(token), nil
	}
	return s.accounts[0], nil, nil
}

func tempKeyAccount(akid string) (string, bool) {
	if len(akid) < 16 || !strings.HasPrefix(akid, "ASIA") {
		return "", false
	}
	id := akid[4:16]
	for _, c := range id {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return id, true
}

// sleepCtx waits d or until the request is cancelled.
func sleepCtx(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}
