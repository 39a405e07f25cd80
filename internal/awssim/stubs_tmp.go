package awssim

import "net/http"

func (s *Server) serveS3(req *request) *apiError {
	return errf(http.StatusNotImplemented, "NotImplemented", "A header or query you provided implies functionality that is not implemented.")
}

func (s *Server) serveCloudWatch(req *request) *apiError {
	return errf(http.StatusNotFound, "UnknownOperationException", "unknown operation %s", req.op)
}

func s3Operation(method, path string, q map[string][]string) string { return method }
func s3BucketName(path string) string                               { return "" }
func (s *Server) bucketName(a *account, i int) string               { return "" }
