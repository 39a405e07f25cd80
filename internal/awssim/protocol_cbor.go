package awssim

import (
	"net/http"
	"strings"

	"github.com/aws/smithy-go/encoding/cbor"
)

// rpcv2CBOR is Smithy RPC v2 CBOR (CloudWatch in go.mod's SDK): POST
// /service/<service>/operation/<Op> with a CBOR map (gzip accepted); the
// reply a CBOR map with Smithy-Protocol: rpc-v2-cbor. An operation returns
// result.cbor. Errors are {"__type": "<errorNS>#<Code>", "message": …}; a
// query-compatible service (CloudWatch) also sends X-Amzn-Query-Error.
type rpcv2CBOR struct {
	errorNS         string // "com.amazonaws.cloudwatch"
	queryCompatible bool
}

func (rpcv2CBOR) read(req *request) *apiError {
	_, op, ok := strings.Cut(req.r.URL.Path, "/operation/")
	if !ok || op == "" {
		return errf(http.StatusNotFound, "UnknownOperationException", "no operation in path %q", req.r.URL.Path)
	}
	req.op = op
	return nil
}

func (rpcv2CBOR) writeResult(req *request, res result) {
	v := res.cbor
	if v == nil {
		v = cbor.Map{}
	}
	writeReply(req, res.status, "application/cbor", map[string]string{"Smithy-Protocol": "rpc-v2-cbor"}, cbor.Encode(v))
}

func (p rpcv2CBOR) writeError(req *request, err *apiError) {
	header := map[string]string{"Smithy-Protocol": "rpc-v2-cbor"}
	if p.queryCompatible {
		header["X-Amzn-Query-Error"] = queryError(err, nil)
	}
	typ := err.code
	if p.errorNS != "" {
		typ = p.errorNS + "#" + err.code
	}
	writeReply(req, err.status, "application/cbor", header, cbor.Encode(cbor.Map{
		"__type":  cbor.String(typ),
		"message": cbor.String(err.message),
	}))
}
