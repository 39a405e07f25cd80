package awsclient

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// throttleCodes are the AWS error codes meaning "slow down". They extend the
// SDK's retry.DefaultThrottleErrorCodes, which the adaptive retryer uses.
var throttleCodes = map[string]bool{
	"Throttling":                             true,
	"ThrottlingException":                    true,
	"ThrottledException":                     true,
	"RequestThrottledException":              true,
	"TooManyRequestsException":               true,
	"ProvisionedThroughputExceededException": true,
	"TransactionInProgressException":         true,
	"RequestLimitExceeded":                   true,
	"BandwidthLimitExceeded":                 true,
	"LimitExceededException":                 true,
	"RequestThrottled":                       true,
	"SlowDown":                               true,
	"PriorRequestNotComplete":                true,
	"EC2ThrottledException":                  true,
}

// accessDeniedCodes are the AWS error codes meaning "you may not look here"
// (including regions the account has not opted in to).
var accessDeniedCodes = map[string]bool{
	"AccessDenied":                true,
	"AccessDeniedException":       true,
	"UnauthorizedOperation":       true,
	"UnauthorizedAccess":          true,
	"AuthFailure":                 true,
	"OptInRequired":               true,
	"InvalidClientTokenId":        true,
	"UnrecognizedClientException": true,
	"AllAccessDisabled":           true,
	"AccountProblem":              true,
	"SignatureDoesNotMatch":       true,
	"ExpiredToken":                true,
	"ExpiredTokenException":       true,
	"InvalidAccessKeyId":          true,
	"Forbidden":                   true,
	"AuthorizationError":          true, // SNS
}

// ErrorCode returns the AWS error code carried by err ("" when none).
func ErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// IsThrottle reports whether err is a throttling error (also after the
// retries gave up: the SDK wraps the last attempt's error).
func IsThrottle(err error) bool {
	if err == nil {
		return false
	}
	if throttleCodes[ErrorCode(err)] {
		return true
	}
	for _, t := range retry.DefaultThrottles {
		if t.IsErrorThrottle(err).Bool() {
			return true
		}
	}
	return false
}

// IsAccessDenied reports whether err says the caller may not read the
// resource or region (AccessDenied, UnauthorizedOperation, AuthFailure,
// OptInRequired …).
func IsAccessDenied(err error) bool {
	return err != nil && accessDeniedCodes[ErrorCode(err)]
}
