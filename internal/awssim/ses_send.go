package awssim

import (
	"bytes"
	"encoding/base64"
	"mime"
	"net/http"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SentEmail is one message accepted by ses:SendEmail or ses:SendRawEmail.
type SentEmail struct {
	MessageID  string    `json:"message_id"`
	Account    string    `json:"account"`
	Region     string    `json:"region"`
	Operation  string    `json:"operation"` // SendEmail or SendRawEmail
	Source     string    `json:"source"`
	To         []string  `json:"to"`
	Subject    string    `json:"subject"`
	Text       string    `json:"text,omitempty"` // SendEmail
	HTML       string    `json:"html,omitempty"` // SendEmail
	Raw        string    `json:"raw,omitempty"`  // SendRawEmail: the MIME message
	ReceivedAt time.Time `json:"received_at"`
}

// sesOutbox is SES's server-wide state: every message sent.
type sesOutbox struct {
	mu   sync.Mutex
	sent []SentEmail
}

func (s *Server) sesOutbox() *sesOutbox { return s.ext["ses"].(*sesOutbox) }

// SentEmails returns a copy of every message SES accepted so far.
func (s *Server) SentEmails() []SentEmail {
	o := s.sesOutbox()
	o.mu.Lock()
	defer o.mu.Unlock()
	out := slices.Clone(o.sent)
	if out == nil {
		out = []SentEmail{}
	}
	return out
}

func (s *Server) sesRecord(req *request, m SentEmail) result {
	o := s.sesOutbox()
	o.mu.Lock()
	m.MessageID = "sim-" + strconv.Itoa(len(o.sent)+1) + "-" + req.reqID
	m.Account, m.Region, m.Operation, m.ReceivedAt = req.acct.id, req.region, req.op, s.opts.Now().UTC()
	o.sent = append(o.sent, m)
	o.mu.Unlock()
	x := newXW()
	x.elem("MessageId", m.MessageID)
	return xmlResult(x)
}

// members returns the values of a list parameter prefix.member.N.
func members(req *request, prefix string) []string {
	var out []string
	for k := 1; ; k++ {
		v, ok := req.form[prefix+".member."+strconv.Itoa(k)]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}

func (s *Server) sesSendEmail(req *request) (result, *apiError) {
	src := req.form.Get("Source")
	if src == "" {
		return result{}, errf(http.StatusBadRequest, "ValidationError", "Value null at 'source' failed to satisfy constraint: Member must not be null")
	}
	to := append(append(members(req, "Destination.ToAddresses"), members(req, "Destination.CcAddresses")...),
		members(req, "Destination.BccAddresses")...)
	if len(to) == 0 {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Missing final '@domain'")
	}
	if len(to) > 50 {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Recipient count exceeds 50.")
	}
	if err := sesCheckAddresses(append([]string{src}, to...)); err != nil {
		return result{}, err
	}
	if _, ok := req.form["Message.Subject.Data"]; !ok {
		return result{}, errf(http.StatusBadRequest, "ValidationError", "Value null at 'message.subject' failed to satisfy constraint: Member must not be null")
	}
	subject := req.form.Get("Message.Subject.Data")
	return s.sesRecord(req, SentEmail{Source: src, To: to, Subject: subject,
		Text: req.form.Get("Message.Body.Text.Data"), HTML: req.form.Get("Message.Body.Html.Data")}), nil
}

func (s *Server) sesSendRawEmail(req *request) (result, *apiError) {
	raw, err := base64.StdEncoding.DecodeString(req.form.Get("RawMessage.Data"))
	if err != nil || len(raw) == 0 {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Could not parse the raw message: not base64 data")
	}
	if len(raw) > 10<<20 {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Message length is more than 10485760 bytes long")
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Could not parse the raw message: %v", err)
	}
	src := req.form.Get("Source")
	if src == "" {
		src = msg.Header.Get("From")
	}
	if a, err := mail.ParseAddress(src); err == nil {
		src = a.Address
	}
	to := members(req, "Destinations")
	if len(to) == 0 {
		for _, h := range []string{"To", "Cc", "Bcc"} {
			if list, err := msg.Header.AddressList(h); err == nil {
				for _, a := range list {
					to = append(to, a.Address)
				}
			}
		}
	}
	if src == "" || len(to) == 0 {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Missing final '@domain'")
	}
	if err := sesCheckAddresses(append([]string{src}, to...)); err != nil {
		return result{}, err
	}
	subject := msg.Header.Get("Subject")
	if d, err := new(mime.WordDecoder).DecodeHeader(subject); err == nil {
		subject = d
	}
	return s.sesRecord(req, SentEmail{Source: src, To: to, Subject: subject, Raw: string(raw)}), nil
}

// sesCheckAddresses refuses what SES refuses: an address without a domain.
func sesCheckAddresses(addrs []string) *apiError {
	for _, a := range addrs {
		at := strings.LastIndex(a, "@")
		if at <= 0 || at == len(a)-1 {
			return errf(http.StatusBadRequest, "InvalidParameterValue", "Missing final '@domain'")
		}
	}
	return nil
}
