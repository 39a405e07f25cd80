package awssim

import (
	"net/http"
	"net/url"
)

// awsQuery is the awsQuery protocol (IAM, STS; later SNS, ELB, RDS,
// Redshift, SES, CloudWatch-query…): a form body with Action=<Op>; the
// reply <Op>Response><Op>Result>…</Op>Result><ResponseMetadata>…; errors as
// <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>.
// An operation returns the content of <Op>Result> in result.xml.
type awsQuery struct {
	xmlns string // the service's XML namespace, e.g. "https://iam.amazonaws.com/doc/2010-05-08/"
}

// readForm parses the form body of the query protocols, plus the URL query
// for keys the body does not set, and reads Action.
func readForm(req *request) *apiError {
	form, err := url.ParseQuery(string(req.body))
	if err != nil {
		return errf(http.StatusBadRequest, "MalformedQueryString", "parse body: %v", err)
	}
	for k, v := range req.r.URL.Query() {
		if _, dup := form[k]; !dup {
			form[k] = v
		}
	}
	req.form = form
	req.op = form.Get("Action")
	if req.op == "" {
		return errf(http.StatusBadRequest, "MissingAction", "no Action parameter")
	}
	return nil
}

func (awsQuery) read(req *request) *apiError { return readForm(req) }

func (p awsQuery) writeResult(req *request, res result) {
	head := newXWSize(160)
	head.raw(`<` + req.op + `Response xmlns="` + p.xmlns + `">`)
	head.raw("<" + req.op + "Result>")
	tail := newXWSize(160)
	tail.raw("</" + req.op + "Result><ResponseMetadata>")
	tail.elem("RequestId", req.reqID)
	tail.raw("</ResponseMetadata></" + req.op + "Response>")
	var body []byte
	if res.xml != nil {
		body = res.xml.bytes()
	}
	writeReply(req, res.status, "text/xml", res.header, head.bytes(), body, tail.bytes())
}

func (p awsQuery) writeError(req *request, err *apiError) {
	x := newXW()
	if p.xmlns != "" {
		x.raw(`<ErrorResponse xmlns="` + p.xmlns + `"><Error>`)
	} else {
		x.raw(`<ErrorResponse><Error>`)
	}
	x.elem("Type", err.fault())
	x.elem("Code", err.code)
	x.elem("Message", err.message)
	x.raw("</Error>")
	x.elem("RequestId", req.reqID)
	x.raw("</ErrorResponse>")
	writeReply(req, err.status, "text/xml", nil, x.bytes())
}
