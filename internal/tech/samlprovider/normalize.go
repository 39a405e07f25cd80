package samlprovider

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// metadata is what the stored config keeps of a SAML metadata document.
type metadata struct {
	EntityID, X509, Company, GivenName, Email string
}

// maxDepth bounds the element nesting of a metadata document.
const maxDepth = 64

// parseMetadata reads a SAML metadata document: the entityID attribute of
// its root element and the text of the last X509Certificate, Company,
// GivenName and EmailAddress elements (any namespace). encoding/xml
// expands no external entity and loads no DTD, so the document cannot
// reach outside itself (the reference needed defusedxml for that). On
// error it returns what it read so far.
func parseMetadata(doc string) (metadata, error) {
	var m metadata
	d := xml.NewDecoder(strings.NewReader(doc))
	var (
		depth   int
		root    bool
		capture *string // the field whose element is open
		text    strings.Builder
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if !root {
				return m, errors.New("parse SAML metadata: no root element")
			}
			return m, nil
		}
		if err != nil {
			return m, fmt.Errorf("parse SAML metadata: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !root {
				root = true
				for _, a := range t.Attr {
					if a.Name.Local == "entityID" && a.Name.Space == "" {
						m.EntityID = a.Value
					}
				}
			}
			depth++
			if depth > maxDepth {
				return m, errors.New("parse SAML metadata: elements nested too deep")
			}
			capture = nil
			switch t.Name.Local {
			case "X509Certificate":
				capture = &m.X509
			case "Company":
				capture = &m.Company
			case "GivenName":
				capture = &m.GivenName
			case "EmailAddress":
				capture = &m.Email
			}
			text.Reset()
		case xml.CharData:
			if capture != nil {
				text.Write(t)
			}
		case xml.EndElement:
			depth--
			if capture != nil {
				*capture = text.String()
				capture = nil
			}
		}
	}
}

// normalize builds the stored config (technologies.md A.39) of a provider
// from its ARN, dates and metadata document.
func normalize(arn string, created, validUntil *time.Time, doc string) (monkey.Config, error) {
	m, err := parseMetadata(doc)
	return monkey.Config{
		"Arn":        arn,
		"Name":       m.EntityID,
		"CreateDate": awsclient.PyStr(created),
		"ValidUntil": awsclient.PyStr(validUntil),
		"X509":       m.X509,
		"Company":    m.Company,
		"GivenName":  m.GivenName,
		"Email":      m.Email,
	}, err
}
