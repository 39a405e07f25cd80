package awssim

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Page tokens (IAM Marker, EC2 NextToken, S3 ContinuationToken, and the
// markers of the JSON services) are opaque to clients: base64url of
// "<kind>.<next index>". The kind ties a token to the listing that issued
// it, so a token of another listing is rejected.

func pageToken(kind string, next int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + "." + strconv.Itoa(next)))
}

// parsePageToken returns the kind and the next index of tok.
func parsePageToken(tok string) (kind string, next int, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", 0, false
	}
	kind, n, found := strings.Cut(string(raw), ".")
	i, err := strconv.Atoi(n)
	if !found || err != nil || i < 0 {
		return "", 0, false
	}
	return kind, i, true
}

// pageStart reads the token tok of a listing of kind: 0 for an empty token.
func pageStart(tok, kind string) (int, bool) {
	if tok == "" {
		return 0, true
	}
	k, i, ok := parsePageToken(tok)
	if !ok || k != kind {
		return 0, false
	}
	return i, true
}

// pageSize reads a page size parameter: def when empty, otherwise 1..max
// (ok false when out of range or not a number).
func pageSize(v string, def, max int) (int, bool) {
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, false
	}
	return n, true
}
