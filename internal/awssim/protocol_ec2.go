package awssim

// ec2Query is the EC2 query protocol: a form body like awsQuery; the reply
// <?xml…?><Op>Response xmlns=…><requestId/>…</Op>Response> with
// lower-camel elements and <item> lists; errors as
// <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>.
// An operation returns the content of <Op>Response> after requestId in
// result.xml.
type ec2Query struct {
	xmlns string // "http://ec2.amazonaws.com/doc/2016-11-15/"
}

func (ec2Query) read(req *request) *apiError { return readForm(req) }

func (p ec2Query) writeResult(req *request, res result) {
	head := newXWSize(256)
	head.raw(xmlDecl + "<" + req.op + `Response xmlns="` + p.xmlns + `">`)
	head.elem("requestId", req.reqID)
	var body []byte
	if res.xml != nil {
		body = res.xml.bytes()
	}
	tail := "</" + req.op + "Response>"
	writeReply(req, res.status, "application/xml", withRequestID(res.header, req.reqID), head.bytes(), body, []byte(tail))
}

func (ec2Query) writeError(req *request, err *apiError) {
	x := newXW()
	x.raw(xmlDecl + "<Response><Errors><Error>")
	x.elem("Code", err.code)
	x.elem("Message", err.message)
	x.raw("</Error></Errors>")
	x.elem("RequestID", req.reqID)
	x.raw("</Response>")
	writeReply(req, err.status, "text/xml;charset=UTF-8", nil, x.bytes())
}

// xmlDecl starts the XML documents of ec2Query and REST-XML.
const xmlDecl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// withRequestID adds the X-Amz-Request-Id header (EC2, S3) to header.
func withRequestID(header map[string]string, id string) map[string]string {
	out := make(map[string]string, len(header)+1)
	for k, v := range header {
		out[k] = v
	}
	out["X-Amz-Request-Id"] = id
	return out
}
