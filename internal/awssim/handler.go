package awssim

import (
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// protocol is the wire protocol of one request.
type protocol int

const (
	protoQuery protocol = iota // awsQuery: IAM, STS
	protoEC2                   // ec2Query
	protoS3                    // REST-XML
	protoCBOR                  // Smithy RPC v2 CBOR: CloudWatch
)

// request is what every operation handler receives.
type request struct {
	w       http.ResponseWriter
	r       *http.Request
	acct    *account
	region  string
	service string // sts, iam, ec2, s3, cloudwatch
	proto   protocol
	op      string
	form    url.Values // awsQuery/ec2Query form; S3 URL query
	body    []byte     // CBOR payload
	session *session   // non-nil when signed with AssumeRole credentials
	reqID   string
}

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

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.serveControl(w, r)
		return
	}
	req := &request{w: w, r: r, reqID: s.requestID()}
	akid, region, service, ok := credentialScope(r)
	req.proto = guessProtocol(r, service)
	if !ok {
		s.writeError(req, errf(http.StatusForbidden, "MissingAuthenticationToken", "Request is missing a SigV4 Authentication Token"))
		return
	}
	req.region = region
	switch service {
	case "monitoring":
		req.service = "cloudwatch"
	default:
		req.service = service
	}
	if err := s.readRequest(req); err != nil {
		s.writeError(req, err)
		return
	}
	acct, sess, aerr := s.resolveAccount(akid, r.Header.Get("X-Amz-Security-Token"))
	if aerr != nil {
		s.writeError(req, aerr)
		return
	}
	req.acct, req.session = acct, sess
	s.countCall(acct.id, req.service+"."+req.op)
	if aerr := s.applyFaults(req); aerr != nil {
		s.writeError(req, aerr)
		return
	}
	var err *apiError
	switch req.service {
	case "sts":
		err = s.serveSTS(req)
	case "iam":
		err = s.serveIAM(req)
	case "ec2":
		err = s.serveEC2(req)
	case "s3":
		err = s.serveS3(req)
	case "cloudwatch":
		err = s.serveCloudWatch(req)
	default:
		err = errf(http.StatusBadRequest, "UnknownService", "service %q is not simulated", service)
	}
	if err != nil {
		s.writeError(req, err)
	}
}

func guessProtocol(r *http.Request, service string) protocol {
	switch {
	case service == "ec2":
		return protoEC2
	case service == "s3":
		return protoS3
	case service == "monitoring" || strings.HasPrefix(r.URL.Path, "/service/"):
		return protoCBOR
	case service == "" && r.Method != http.MethodPost:
		return protoS3
	default:
		return protoQuery
	}
}

const maxBody = 32 << 20

// readRequest parses the body and determines the operation name.
func (s *Server) readRequest(req *request) *apiError {
	r := req.r
	var rd io.Reader = http.MaxBytesReader(req.w, r.Body, maxBody)
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(rd)
		if err != nil {
			return errf(http.StatusBadRequest, "MalformedInput", "bad gzip body: %v", err)
		}
		defer zr.Close()
		rd = io.LimitReader(zr, maxBody)
	}
	switch req.proto {
	case protoQuery, protoEC2:
		body, err := io.ReadAll(rd)
		if err != nil {
			return errf(http.StatusBadRequest, "MalformedQueryString", "read body: %v", err)
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return errf(http.StatusBadRequest, "MalformedQueryString", "parse body: %v", err)
		}
		for k, v := range r.URL.Query() {
			if _, dup := form[k]; !dup {
				form[k] = v
			}
		}
		req.form = form
		req.op = form.Get("Action")
		if req.op == "" {
			return errf(http.StatusBadRequest, "MissingAction", "no Action parameter")
		}
	case protoCBOR:
		body, err := io.ReadAll(rd)
		if err != nil {
			return errf(http.StatusBadRequest, "SerializationException", "read body: %v", err)
		}
		req.body = body
		_, op, ok := strings.Cut(r.URL.Path, "/operation/")
		if !ok || op == "" {
			return errf(http.StatusNotFound, "UnknownOperationException", "no operation in path %q", r.URL.Path)
		}
		req.op = op
	case protoS3:
		_, _ = io.Copy(io.Discard, rd)
		req.form = r.URL.Query()
		req.op = s3Operation(r.Method, r.URL.Path, req.form)
	}
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

// writeError renders err in the protocol of req.
func (s *Server) writeError(req *request, err *apiError) {
	s.log.Debug("awssim error reply", "service", req.service, "operation", req.op, "region", req.region,
		"code", err.code, "status", err.status)
	w := req.w
	h := w.Header()
	h.Set("X-Amzn-RequestId", req.reqID)
	fault := "Sender"
	if !err.sender {
		fault = "Receiver"
	}
	switch req.proto {
	case protoCBOR:
		h.Set("Content-Type", "application/cbor")
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
		h.Set("X-Amzn-Query-Error", err.code+";"+fault)
		w.WriteHeader(err.status)
		_, _ = w.Write(cbor.Encode(cbor.Map{
			"__type":  cbor.String("com.amazonaws.cloudwatch#" + err.code),
			"message": cbor.String(err.message),
		}))
	case protoEC2:
		h.Set("Content-Type", "text/xml;charset=UTF-8")
		w.WriteHeader(err.status)
		x := newXW()
		x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Response><Errors><Error>")
		x.elem("Code", err.code)
		x.elem("Message", err.message)
		x.raw("</Error></Errors>")
		x.elem("RequestID", req.reqID)
		x.raw("</Response>")
		_, _ = w.Write(x.bytes())
	case protoS3:
		h.Set("Content-Type", "application/xml")
		h.Set("X-Amz-Request-Id", req.reqID)
		h.Set("X-Amz-Id-2", "c2ltdWxhdGVk")
		w.WriteHeader(err.status)
		if req.r.Method == http.MethodHead {
			return
		}
		x := newXW()
		x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Error>")
		x.elem("Code", err.code)
		x.elem("Message", err.message)
		if b := s3BucketName(req.r.URL.Path); b != "" {
			x.elem("BucketName", b)
		}
		x.elem("RequestId", req.reqID)
		x.elem("HostId", "c2ltdWxhdGVk")
		x.raw("</Error>")
		_, _ = w.Write(x.bytes())
	default:
		h.Set("Content-Type", "text/xml")
		w.WriteHeader(err.status)
		x := newXW()
		x.raw(`<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error>`)
		x.elem("Type", fault)
		x.elem("Code", err.code)
		x.elem("Message", err.message)
		x.raw("</Error>")
		x.elem("RequestId", req.reqID)
		x.raw("</ErrorResponse>")
		_, _ = w.Write(x.bytes())
	}
}

// writeQuery writes an awsQuery success response around the result body.
func (s *Server) writeQuery(req *request, ns string, x *xw) {
	out := newXWSize(x.len() + 512)
	out.raw(`<` + req.op + `Response xmlns="` + ns + `">`)
	out.raw("<" + req.op + "Result>")
	out.buf.Write(x.bytes())
	out.raw("</" + req.op + "Result><ResponseMetadata>")
	out.elem("RequestId", req.reqID)
	out.raw("</ResponseMetadata></" + req.op + "Response>")
	h := req.w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-RequestId", req.reqID)
	h.Set("Content-Length", strconv.Itoa(out.len()))
	req.w.WriteHeader(http.StatusOK)
	_, _ = req.w.Write(out.bytes())
}

// writeXML writes a complete XML document with status 200.
func (s *Server) writeXML(req *request, x *xw) {
	h := req.w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("X-Amzn-RequestId", req.reqID)
	h.Set("X-Amz-Request-Id", req.reqID)
	h.Set("Content-Length", strconv.Itoa(x.len()))
	req.w.WriteHeader(http.StatusOK)
	_, _ = req.w.Write(x.bytes())
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
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
