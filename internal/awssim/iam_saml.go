package awssim

import (
	"net/http"
	"strconv"
	"strings"
)

// IAM SAML providers: ListSAMLProviders (everything in one reply, as in
// AWS), GetSAMLProvider, and the technology samlprovider (served by the
// IAM descriptor, iam.go).
//
// Provider i is sim-idp-<i>; its metadata document's entityID is
// https://idp-<i>.sim.example.com/saml. Variants (i%3): 0 with a contact
// person (Company, GivenName, EmailAddress); 1 without one; 2 with a
// signing and an encryption certificate (the stored X509 is the last).
// Mutations rotate the signing certificate.

const techSAML = "samlprovider"

func samlResource() resource {
	return resource{
		tech:        techSAML,
		createdHour: 43,
		arn:         func(s *Server, a *account, i int) string { return samlARN(a, i) },
		mutates:     "the signing certificate of the metadata document is rotated",
	}
}

func samlName(i int) string { return "sim-idp-" + strconv.Itoa(i) }

func samlARN(a *account, i int) string {
	return "arn:aws:iam::" + a.id + ":saml-provider/" + samlName(i)
}

const b64Digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// samlMetadata is the SAML metadata document of provider i at generation gen.
func (s *Server) samlMetadata(a *account, i, gen int) string {
	cert := func(kind string) string {
		return "MIIC" + s.resourceID("", 120, b64Digits, "samlprovider/"+kind+"/"+strconv.Itoa(gen), a, i) + "=="
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp-` + strconv.Itoa(i) + `.sim.example.com/saml">`)
	b.WriteString(`<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">`)
	key := func(use, c string) {
		b.WriteString(`<md:KeyDescriptor use="` + use + `"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + c +
			`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
	}
	key("signing", cert("signing"))
	if i%3 == 2 {
		key("encryption", cert("encryption"))
	}
	b.WriteString(`<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp-` +
		strconv.Itoa(i) + `.sim.example.com/sso"/>`)
	b.WriteString(`</md:IDPSSODescriptor>`)
	if i%3 == 0 {
		b.WriteString(`<md:ContactPerson contactType="technical"><md:Company>Sim &amp; Co ` + strconv.Itoa(i) +
			`</md:Company><md:GivenName>Ada</md:GivenName><md:EmailAddress>idp-admin-` + strconv.Itoa(i) +
			`@sim.example.com</md:EmailAddress></md:ContactPerson>`)
	}
	b.WriteString(`</md:EntityDescriptor>`)
	return b.String()
}

func (s *Server) samlValidUntil(i int) string {
	return s.anchor.AddDate(10, 0, i%365).UTC().Format("2006-01-02T15:04:05Z")
}

func (s *Server) listSAMLProviders(req *request) (result, *apiError) {
	a := req.acct
	ts := a.tech(techSAML)
	x := newXWSize(ts.n*200 + 64)
	x.open("SAMLProviderList")
	for i := range ts.n {
		if !ts.exists(i) {
			continue
		}
		x.open("member")
		x.elem("Arn", samlARN(a, i))
		x.elem("ValidUntil", s.samlValidUntil(i))
		x.elemTime("CreateDate", s.created(techSAML, i))
		x.close("member")
	}
	x.close("SAMLProviderList")
	return xmlResult(x), nil
}

func (s *Server) getSAMLProvider(req *request) (result, *apiError) {
	a := req.acct
	arn := req.form.Get("SAMLProviderArn")
	name, ok := strings.CutPrefix(arn, "arn:aws:iam::"+a.id+":saml-provider/")
	num, ok2 := strings.CutPrefix(name, "sim-idp-")
	i, err := strconv.Atoi(num)
	if !ok || !ok2 || err != nil || i < 0 || samlName(i) != name || !a.tech(techSAML).exists(i) {
		return result{}, errf(http.StatusNotFound, "NoSuchEntity", "Manifest not found for arn %s", arn)
	}
	doc := s.samlMetadata(a, i, a.tech(techSAML).generation(i))
	x := newXWSize(len(doc)*2 + 256)
	x.elem("SAMLMetadataDocument", doc)
	x.elem("SAMLProviderUUID", s.resourceID("", 32, hexDigits, "samlprovider/uuid", a, i))
	x.elem("ValidUntil", s.samlValidUntil(i))
	x.elemTime("CreateDate", s.created(techSAML, i))
	return xmlResult(x), nil
}
