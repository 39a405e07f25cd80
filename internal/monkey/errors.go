package monkey

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer; HTTP maps them to statuses in one place.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOMANY      = "too_many"  // throttled (HTTP 429)
	ETOOLARGE     = "too_large" // request body over the limit (HTTP 413)
)

// Error is an application error with a code and a message safe to show users.
type Error struct {
	Code    string
	Message string
	// Field names the request field at fault (EINVALID), when one is.
	Field string
}

// Error returns the message; the code is for programs (ErrorCode).
func (e *Error) Error() string { return e.Message }

// Errorf builds an *Error.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf builds an EINVALID *Error about one request field.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for other errors and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrNotFound is returned by stores when a row does not exist.
var ErrNotFound = &Error{Code: ENOTFOUND, Message: "not found"}

// ErrScanRunning is returned when another scan is writing an (account,
// technology) pair a scan needs: the caller waits, retries later or
// reports the pair as not scanned.
var ErrScanRunning = &Error{Code: ECONFLICT, Message: "a scan of this account and technology is already running"}
