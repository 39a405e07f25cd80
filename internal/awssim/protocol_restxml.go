package awssim

// restXML is the REST-XML protocol (S3; later Route 53, CloudFront-style
// services): operations routed by method and path (operation.http), XML
// documents in and out. An operation returns the document's root element in
// result.xml (the XML declaration is added), or a raw payload, or headers
// only (HEAD). Errors are <ErrorResponse><Error><Type/><Code/><Message/>
// </Error><RequestId/></ErrorResponse>, or, with noErrorWrapping (S3),
// <Error><Code/><Message/><RequestId/><HostId/></Error>.
type restXML struct {
	xmlns           string // namespace of wrapped errors
	noErrorWrapping bool
}

func (restXML) rest() {}

func (restXML) read(req *request) *apiError { return readRoute(req) }

func (restXML) writeResult(req *request, res result) {
	header := withRequestID(res.header, req.reqID)
	switch {
	case res.raw != nil:
		writeReply(req, res.status, res.rawType, header, res.raw)
	case res.xml != nil:
		writeReply(req, res.status, "application/xml", header, []byte(xmlDecl), res.xml.bytes())
	default:
		writeReply(req, res.status, "", header)
	}
}

func (p restXML) writeError(req *request, err *apiError) {
	x := newXW()
	x.raw(xmlDecl)
	if p.noErrorWrapping {
		x.raw("<Error>")
		x.elem("Code", err.code)
		x.elem("Message", err.message)
		x.elem("RequestId", req.reqID)
		x.elem("HostId", simHostID)
		x.raw("</Error>")
		writeReply(req, err.status, "application/xml", map[string]string{"X-Amz-Request-Id": req.reqID, "X-Amz-Id-2": simHostID}, x.bytes())
		return
	}
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
	writeReply(req, err.status, "application/xml", map[string]string{"X-Amz-Request-Id": req.reqID}, x.bytes())
}

// simHostID is the x-amz-id-2 of S3-style errors.
const simHostID = "c2ltdWxhdGVk"
