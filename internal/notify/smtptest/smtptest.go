// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on
// the loopback interface for tests: it records the messages it accepts,
// can require authentication, speak STARTTLS or implicit TLS with a
// certificate of its own, and can be told to refuse mail (a temporary or
// permanent SMTP reply) or to stop answering, to test outages.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options configure a Server.
type Options struct {
	// Username and Password, when set, are required (AUTH PLAIN).
	Username, Password string
	// StartTLS advertises STARTTLS; ImplicitTLS serves TLS from the first
	// byte. Both use a certificate for 127.0.0.1 that Server.TLSConfig
	// trusts.
	StartTLS    bool
	ImplicitTLS bool
}

// Message is one accepted message.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Header parses the message headers.
func (m Message) Header() mail.Header {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return mail.Header{}
	}
	return msg.Header
}

// Subject returns the decoded Subject header.
func (m Message) Subject() string {
	s := m.Header().Get("Subject")
	if d, err := new(mime.WordDecoder).DecodeHeader(s); err == nil {
		return d
	}
	return s
}

// Part returns the decoded body of the first part of a multipart message
// whose content type is contentType (the whole body of a single-part
// message of that type), or "".
func (m Message) Part(contentType string) string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	if !strings.HasPrefix(mt, "multipart/") {
		if mt != contentType {
			return ""
		}
		return decode(msg.Body, msg.Header.Get("Content-Transfer-Encoding"))
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextRawPart()
		if err != nil {
			return ""
		}
		if pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); pt == contentType {
			return decode(p, p.Header.Get("Content-Transfer-Encoding"))
		}
	}
}

func decode(r io.Reader, encoding string) string {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, _ := io.ReadAll(r)
	return string(b)
}

// Server is a running test SMTP server.
type Server struct {
	Addr      string
	Host      string
	Port      int
	TLSConfig *tls.Config // client side: trusts the server's certificate

	srv  *smtp.Server
	mu   sync.Mutex
	msgs []Message
	// refuse, when not nil, is the reply to every RCPT TO.
	refuse *smtp.SMTPError
	notify chan struct{}
}

// Start starts a server; it stops at the end of the test.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{notify: make(chan struct{}, 100)}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, opts: opts}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = !opts.StartTLS && !opts.ImplicitTLS
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	var l net.Listener
	var err error
	if opts.StartTLS || opts.ImplicitTLS {
		serverTLS, clientTLS := certificates(t)
		srv.TLSConfig = serverTLS
		s.TLSConfig = clientTLS
	}
	if opts.ImplicitTLS {
		l, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.srv = srv
	s.Addr = l.Addr().String()
	host, port, _ := net.SplitHostPort(s.Addr)
	s.Host = host
	s.Port, _ = strconv.Atoi(port)
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// Messages returns the accepted messages, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Refuse makes the server answer every recipient with code (4xx:
// temporary, 5xx: permanent); 0 accepts again.
func (s *Server) Refuse(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		s.refuse = nil
		return
	}
	s.refuse = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: "refused by the test"}
}

// WaitMessages waits until at least n messages were accepted or the
// deadline passes, and returns the messages.
func (s *Server) WaitMessages(n int, within time.Duration) []Message {
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		if m := s.Messages(); len(m) >= n {
			return m
		}
		select {
		case <-s.notify:
		case <-deadline.C:
			return s.Messages()
		}
	}
}

type session struct {
	s      *Server
	opts   Options
	authed bool
	from   string
	to     []string
}

func (se *session) AuthMechanisms() []string {
	if se.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != se.opts.Username || password != se.opts.Password {
			return errors.New("invalid credentials")
		}
		se.authed = true
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.opts.Username != "" && !se.authed {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.s.mu.Lock()
	refuse := se.s.refuse
	se.s.mu.Unlock()
	if refuse != nil {
		return refuse
	}
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	se.s.mu.Lock()
	se.s.msgs = append(se.s.msgs, Message{From: se.from, To: se.to, Data: b})
	se.s.mu.Unlock()
	select {
	case se.s.notify <- struct{}{}:
	default:
	}
	return nil
}

func (se *session) Reset()        { se.from, se.to = "", nil }
func (se *session) Logout() error { return nil }

// certificates makes a self-signed certificate for 127.0.0.1 and the
// client configuration that trusts it.
func certificates(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("smtptest: key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtptest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("smtptest: certificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("smtptest: certificate: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
	client = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	return server, client
}
