// Package email delivers notify messages as e-mail over SMTP
// (github.com/wneessen/go-mail): a multipart/alternative message with the
// plain-text and HTML bodies, implicit TLS or STARTTLS, and SMTP
// authentication. Build makes the MIME message the SES channel sends too.
package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/secmonkey/monkey/internal/notify"
)

// Config configures SMTP delivery (spec/config.md §9).
type Config struct {
	Host string // MAIL_SERVER
	Port int    // MAIL_PORT
	// SSL connects with implicit TLS (MAIL_USE_SSL); StartTLS requires
	// STARTTLS (MAIL_USE_TLS). With neither, the connection is plain.
	SSL      bool
	StartTLS bool
	Username string // MAIL_USERNAME; "" = no authentication
	Password string // MAIL_PASSWORD
	From     string // MAIL_DEFAULT_SENDER
	// Timeout bounds one delivery (default 30 s).
	Timeout time.Duration
	// TLSConfig overrides the TLS settings (tests trust their own CA);
	// default: verify the server name against the system roots.
	TLSConfig *tls.Config
}

// Notifier sends messages over SMTP.
type Notifier struct {
	cfg Config
}

// New returns a Notifier.
func New(cfg Config) (*Notifier, error) {
	if cfg.Host == "" || cfg.Port <= 0 {
		return nil, errors.New("smtp: MAIL_SERVER and MAIL_PORT required")
	}
	if cfg.From == "" {
		return nil, errors.New("smtp: MAIL_DEFAULT_SENDER required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Notifier{cfg: cfg}, nil
}

// Build returns the MIME message of m from from to to: subject, a
// plain-text body and its HTML alternative.
func Build(from, to string, m notify.Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("sender %q: %w", from, err)
	}
	if err := msg.To(to); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", to, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetGenHeader(mail.HeaderXMailer, "Security Monkey")
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

func (n *Notifier) client() (*mail.Client, error) {
	opts := []mail.Option{mail.WithPort(n.cfg.Port), mail.WithTimeout(n.cfg.Timeout)}
	switch {
	case n.cfg.SSL:
		opts = append(opts, mail.WithSSL())
	case n.cfg.StartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	tc := n.cfg.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: n.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	opts = append(opts, mail.WithTLSConfig(tc))
	if n.cfg.Username != "" {
		// Over TLS the best mechanism the server offers; in the clear only
		// PLAIN, which go-mail allows to localhost alone.
		auth := mail.SMTPAuthAutoDiscover
		if !n.cfg.SSL && !n.cfg.StartTLS {
			auth = mail.SMTPAuthPlain
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(n.cfg.Username), mail.WithPassword(n.cfg.Password))
	}
	return mail.NewClient(n.cfg.Host, opts...)
}

// Notify sends m to the address to. A temporary SMTP reply (4xx) or a
// connection failure may succeed later (retry); a permanent reply (5xx)
// will not.
func (n *Notifier) Notify(ctx context.Context, to string, m notify.Message) (bool, error) {
	if to == "" {
		return false, errors.New("smtp: no recipient")
	}
	msg, err := Build(n.cfg.From, to, m)
	if err != nil {
		return false, fmt.Errorf("smtp: %w", err)
	}
	c, err := n.client()
	if err != nil {
		return false, fmt.Errorf("smtp %s:%d: %w", n.cfg.Host, n.cfg.Port, err)
	}
	ctx, cancel := context.WithTimeout(ctx, n.cfg.Timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return retryable(err), fmt.Errorf("smtp %s:%d: send to %s: %w", n.cfg.Host, n.cfg.Port, to, redact(err, n.cfg.Password))
	}
	return false, nil
}

func retryable(err error) bool {
	var se *mail.SendError
	if errors.As(err, &se) {
		switch se.Reason {
		case mail.ErrSMTPMailFrom, mail.ErrSMTPRcptTo, mail.ErrSMTPData:
			return se.IsTemp()
		}
	}
	return true // connection, TLS, authentication or server trouble
}

// redact removes the password from an error text (a server may echo it).
func redact(err error, secret string) error {
	if len(secret) < 4 || !strings.Contains(err.Error(), secret) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, "[REDACTED]"))
}
