// Package ses delivers notify messages as e-mail through Amazon SES
// (SendRawEmail in SES_REGION, with the service's own AWS credentials):
// the same multipart message as SMTP, text and HTML.
package ses

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsses "github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/secmonkey/monkey/internal/notify"
	"github.com/secmonkey/monkey/internal/notify/email"
)

// API is the SES call the notifier makes.
type API interface {
	SendRawEmail(ctx context.Context, in *awsses.SendRawEmailInput, opts ...func(*awsses.Options)) (*awsses.SendRawEmailOutput, error)
}

// Config configures SES delivery.
type Config struct {
	From string // MAIL_DEFAULT_SENDER (a verified SES identity)
}

// Notifier sends messages through SES.
type Notifier struct {
	cfg Config
	api API
}

// New returns a Notifier calling api (ses.NewFromConfig of an aws.Config
// whose region is SES_REGION).
func New(cfg Config, api API) (*Notifier, error) {
	if cfg.From == "" {
		return nil, errors.New("ses: MAIL_DEFAULT_SENDER required")
	}
	if api == nil {
		return nil, errors.New("ses: no client")
	}
	return &Notifier{cfg: cfg, api: api}, nil
}

// NewFromConfig returns a Notifier on an SES client of awsCfg.
func NewFromConfig(cfg Config, awsCfg aws.Config) (*Notifier, error) {
	return New(cfg, awsses.NewFromConfig(awsCfg))
}

// Notify sends m to the address to. Throttling and server errors may
// succeed later; a rejected message or sender will not.
func (n *Notifier) Notify(ctx context.Context, to string, m notify.Message) (bool, error) {
	if to == "" {
		return false, errors.New("ses: no recipient")
	}
	msg, err := email.Build(n.cfg.From, to, m)
	if err != nil {
		return false, fmt.Errorf("ses: %w", err)
	}
	var raw bytes.Buffer
	if _, err := msg.WriteTo(&raw); err != nil {
		return false, fmt.Errorf("ses: build message: %w", err)
	}
	_, err = n.api.SendRawEmail(ctx, &awsses.SendRawEmailInput{
		RawMessage:   &types.RawMessage{Data: raw.Bytes()},
		Source:       aws.String(n.cfg.From),
		Destinations: []string{to},
	})
	if err != nil {
		return retryable(err), fmt.Errorf("ses: send to %s: %w", to, err)
	}
	return false, nil
}

// retryable: SES refusals of the message, sender or request are final;
// throttling, server errors and transport failures are not.
func retryable(err error) bool {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() >= http.StatusInternalServerError {
		return true
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "Throttling", "ThrottlingException", "ServiceUnavailable", "InternalFailure":
			return true
		}
		return false
	}
	return true
}
