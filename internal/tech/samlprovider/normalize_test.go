package samlprovider

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseMetadata(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, doc string
		want      metadata
		fails     bool
	}{
		{"okta-like", `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/x">` +
			`<md:IDPSSODescriptor><md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>` +
			`<ds:X509Certificate>AAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
			`<md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>` + "\nBBB\n" +
			`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor>` +
			`<md:ContactPerson><md:Company>A &amp; B</md:Company><md:GivenName>Ada</md:GivenName><md:EmailAddress>a@b.c</md:EmailAddress></md:ContactPerson>` +
			`</md:EntityDescriptor>`,
			metadata{EntityID: "http://www.okta.com/x", X509: "\nBBB\n", Company: "A & B", GivenName: "Ada", Email: "a@b.c"}, false},
		{"no contact, no namespace", `<EntityDescriptor entityID="urn:x"><X509Certificate>C</X509Certificate></EntityDescriptor>`,
			metadata{EntityID: "urn:x", X509: "C"}, false},
		{"entityID only on the root", `<a><b entityID="no"/></a>`, metadata{}, false},
		{"external entity not expanded", `<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a entityID="e"><Company>&x;</Company></a>`,
			metadata{EntityID: "e"}, true},
		{"truncated", `<a entityID="e"><Company>X`, metadata{EntityID: "e"}, true},
		{"empty", ``, metadata{}, true},
		{"not XML", `hello`, metadata{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseMetadata(tc.doc)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.fails, err != nil, "%v", err)
		})
	}
}

func FuzzParseMetadata(f *testing.F) {
	f.Add(`<a entityID="e"><X509Certificate>C</X509Certificate><Company>co</Company></a>`)
	f.Add(`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`)
	f.Fuzz(func(t *testing.T, doc string) {
		m, _ := parseMetadata(doc)
		if len(m.EntityID)+len(m.X509)+len(m.Company)+len(m.GivenName)+len(m.Email) > 4*len(doc) {
			t.Fatalf("parsed more than the document holds: %+v", m)
		}
	})
}
