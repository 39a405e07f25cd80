package awssim

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// awsJSON is the awsJson1_0 / awsJson1_1 protocol (1.0: SQS, DynamoDB…;
// 1.1: KMS, ECR, Secrets Manager, CloudTrail, Config, ACM, EventBridge…):
// POST / with X-Amz-Target: <target>.<Op> and Content-Type
// application/x-amz-json-<version>; a JSON object in and out. An operation
// decodes its input with req.decode and returns result.json. Errors are
// {"__type": "<Code>", "message": "…"} with the code in X-Amzn-ErrorType;
// a query-compatible service (SQS) also sends X-Amzn-Query-Error:
// <query code>;<Sender|Receiver>, from which the SDK takes the code.
type awsJSON struct {
	version         string // "1.0" or "1.1"
	target          string // the X-Amz-Target prefix: "AmazonSQS", "TrentService" (KMS)…
	queryCompatible bool
	// queryCodes maps an error code to its awsQuery code where they differ
	// (SQS: QueueDoesNotExist → AWS.SimpleQueueService.NonExistentQueue).
	queryCodes map[string]string
}

func (p awsJSON) contentType() string { return "application/x-amz-json-" + p.version }

func (p awsJSON) read(req *request) *apiError {
	t := req.r.Header.Get("X-Amz-Target")
	req.op = t
	if dot := strings.LastIndexByte(t, '.'); dot >= 0 && t[:dot] == p.target {
		req.op = t[dot+1:]
	}
	return nil
}

func (p awsJSON) writeResult(req *request, res result) {
	writeJSONResult(req, res, p.contentType())
}

func (p awsJSON) writeError(req *request, err *apiError) {
	header := map[string]string{"X-Amzn-ErrorType": err.code}
	if p.queryCompatible {
		header["X-Amzn-Query-Error"] = queryError(err, p.queryCodes)
	}
	writeJSONError(req, err, p.contentType(), header)
}

// queryError is the X-Amzn-Query-Error header of a query-compatible
// service: "<query code>;<Sender|Receiver>".
func queryError(err *apiError, codes map[string]string) string {
	code := err.code
	if c, ok := codes[code]; ok {
		code = c
	}
	return code + ";" + err.fault()
}

// restJSON is the REST-JSON protocol (Lambda, EFS, API Gateway, Glacier,
// Elasticsearch…): operations routed by method and path (operation.http)
// with path labels (req.label) and query parameters (req.form); JSON
// payloads. Errors carry the code in X-Amzn-ErrorType and the body
// {"__type": "<Code>", "message": "…"}.
type restJSON struct{}

func (restJSON) rest() {}

func (restJSON) read(req *request) *apiError { return readRoute(req) }

func (restJSON) writeResult(req *request, res result) {
	writeJSONResult(req, res, "application/json")
}

func (restJSON) writeError(req *request, err *apiError) {
	writeJSONError(req, err, "application/json", map[string]string{"X-Amzn-ErrorType": err.code})
}

func writeJSONResult(req *request, res result, contentType string) {
	switch {
	case res.raw != nil:
		writeReply(req, res.status, res.rawType, res.header, res.raw)
	case res.json != nil:
		body, err := json.Marshal(res.json)
		if err != nil {
			writeJSONError(req, errf(http.StatusInternalServerError, "InternalFailure", "encode reply: %v", err), contentType, nil)
			return
		}
		writeReply(req, res.status, contentType, res.header, body)
	default:
		writeReply(req, res.status, contentType, res.header, []byte("{}"))
	}
}

func writeJSONError(req *request, err *apiError, contentType string, header map[string]string) {
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{err.code, err.message})
	writeReply(req, err.status, contentType, header, body)
}

// epochSeconds renders a timestamp the way the JSON protocols encode them by
// default: seconds since the Unix epoch, as a number.
type epochSeconds time.Time

func (t epochSeconds) MarshalJSON() ([]byte, error) {
	return json.Marshal(float64(time.Time(t).UnixMilli()) / 1000)
}
