package awssim

import (
	"net/http"
	"strconv"
	"strings"
)

// protocol is an AWS wire protocol: it reads the operation name and input of
// a request and renders results and errors. Each protocol is written once,
// in its own file (protocol_*.go); a service descriptor holds a protocol
// value with the service's parameters (XML namespace, JSON target prefix…).
type protocol interface {
	// read sets req.op and the operation input (req.form, req.labels;
	// req.body is already read).
	read(req *request) *apiError
	// writeResult renders a successful result.
	writeResult(req *request, res result)
	// writeError renders err. req.svc may be nil (unsigned request,
	// unknown service).
	writeError(req *request, err *apiError)
}

// fallbackProtocol is the protocol an error is rendered in before the
// service is known (no SigV4 credentials, or a service the simulator does not
// serve): guessed from the request's shape.
func fallbackProtocol(r *http.Request) protocol {
	switch {
	case strings.HasPrefix(r.URL.Path, "/service/"):
		return rpcv2CBOR{}
	case r.Header.Get("X-Amz-Target") != "":
		if strings.HasSuffix(r.Header.Get("Content-Type"), "1.0") {
			return awsJSON{version: "1.0"}
		}
		return awsJSON{version: "1.1"}
	case r.Method != http.MethodPost:
		return restXML{noErrorWrapping: true}
	default:
		return awsQuery{}
	}
}

// writeReply writes status, the common headers, contentType and the body
// made of parts, with a Content-Length.
func writeReply(req *request, status int, contentType string, header map[string]string, parts ...[]byte) {
	h := req.w.Header()
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	h.Set("X-Amzn-RequestId", req.reqID)
	for k, v := range header {
		h.Set(k, v)
	}
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	h.Set("Content-Length", strconv.Itoa(n))
	if status == 0 {
		status = http.StatusOK
	}
	req.w.WriteHeader(status)
	if req.r.Method == http.MethodHead {
		return
	}
	for _, p := range parts {
		if len(p) > 0 {
			_, _ = req.w.Write(p)
		}
	}
}
