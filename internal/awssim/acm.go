package awssim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ACM (Certificate Manager): ListCertificates, DescribeCertificate, and
// the technology acm. awsJson 1.1, regional.
//
// Certificate i lives in Regions[i % len(Regions)], for the domain
// acm-<i>.sim.example.com; its ARN ends in a UUID whose last group is i.
// Variants (i%4 for the first 50 indices and every 20th after them, 0
// otherwise), dates relative to Options.Now: 0 Amazon-issued, valid 300
// more days, in use by a load balancer; 1 imported, expiring in 20 days;
// 2 Amazon-issued, expiring in 45 days, renewal pending validation; 3
// imported, expired 10 days ago. Every fifth certificate (i%5 == 4) has an
// EC_prime256v1 key: ListCertificates lists it only when Includes.KeyTypes
// asks for it (by default AWS lists RSA_2048 keys only). Mutations add a
// load balancer "sim-mutation-<generation>" to InUseBy.

const techACM = "acm"

func acmService() *service {
	return &service{
		name:     "acm",
		protocol: awsJSON{version: "1.1", target: "CertificateManager"},
		ops: map[string]operation{
			"ListCertificates":    {handle: (*Server).acmListCertificates},
			"DescribeCertificate": {handle: (*Server).acmDescribeCertificate},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: acm:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "UnknownOperationException", "Operation {op} is not supported by the simulator"},
		check: enabledRegion(
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techACM,
			createdHour: 99,
			arn:         func(s *Server, a *account, i int) string { return s.acmARN(a, i) },
			mutates:     `one more load balancer ("sim-mutation-<generation>") in InUseBy`,
		}},
	}
}

func acmDomain(i int) string { return "acm-" + strconv.Itoa(i) + ".sim.example.com" }

func (s *Server) acmARN(a *account, i int) string {
	h := s.resourceID("", 20, hexDigits, "acm/uuid", a, i)
	return "arn:aws:acm:" + s.itemRegion(i) + ":" + a.id + ":certificate/" +
		h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + fmt.Sprintf("%012d", i)
}

// acmVariant is the variant of certificate i (see the file comment).
func acmVariant(i int) int {
	if bulkBenign(i) {
		return 0
	}
	return i % 4
}

func acmKeyAlgorithm(i int) string {
	if i%5 == 4 {
		return "EC_prime256v1"
	}
	return "RSA_2048"
}

// acmCert is the DescribeCertificate Certificate of certificate i.
func (s *Server) acmCert(a *account, i int) map[string]any {
	v := acmVariant(i)
	domain := acmDomain(i)
	created := s.created(techACM, i)
	notAfter := s.anchor.AddDate(0, 0, [...]int{300, 20, 45, -10}[v])
	imported := v == 1 || v == 3
	sig := "SHA256WITHRSA"
	if acmKeyAlgorithm(i) != "RSA_2048" {
		sig = "SHA256WITHECDSA"
	}
	c := map[string]any{
		"CertificateArn":          s.acmARN(a, i),
		"DomainName":              domain,
		"SubjectAlternativeNames": []string{domain, "www." + domain},
		"Serial":                  acmSerial(s.resourceID("", 32, hexDigits, "acm/serial", a, i)),
		"Subject":                 "CN=" + domain,
		"CreatedAt":               epochSeconds(created),
		"NotBefore":               epochSeconds(notAfter.AddDate(-1, 0, 0)),
		"NotAfter":                epochSeconds(notAfter),
		"KeyAlgorithm":            acmKeyAlgorithm(i),
		"SignatureAlgorithm":      sig,
		"KeyUsages":               []map[string]string{{"Name": "DIGITAL_SIGNATURE"}, {"Name": "KEY_ENCIPHERMENT"}},
		"ExtendedKeyUsages": []map[string]string{
			{"Name": "TLS_WEB_SERVER_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.1"},
			{"Name": "TLS_WEB_CLIENT_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.2"},
		},
		"Options":  map[string]string{"CertificateTransparencyLoggingPreference": "ENABLED", "Export": "DISABLED"},
		"InUseBy":  s.acmInUseBy(a, i),
		"Status":   "ISSUED",
		"Issuer":   "Amazon",
		"Type":     "AMAZON_ISSUED",
		"IssuedAt": epochSeconds(created.Add(time.Hour)),
	}
	if imported {
		delete(c, "IssuedAt")
		c["Type"] = "IMPORTED"
		c["Issuer"] = "Sim Test CA"
		c["ImportedAt"] = epochSeconds(created)
		c["RenewalEligibility"] = "INELIGIBLE"
		if v == 3 {
			c["Status"] = "EXPIRED"
		}
		return c
	}
	c["RenewalEligibility"] = "ELIGIBLE"
	dvo := func(status string) []map[string]any {
		return []map[string]any{{
			"DomainName":       domain,
			"ValidationDomain": domain,
			"ValidationStatus": status,
			"ValidationMethod": "DNS",
			"ResourceRecord": map[string]string{
				"Name":  "_" + s.resourceID("", 32, hexDigits, "acm/dns-name", a, i) + "." + domain + ".",
				"Type":  "CNAME",
				"Value": "_" + s.resourceID("", 32, hexDigits, "acm/dns-value", a, i) + ".acm-validations.aws.",
			},
		}}
	}
	c["DomainValidationOptions"] = dvo("SUCCESS")
	if v == 2 {
		c["RenewalSummary"] = map[string]any{
			"RenewalStatus":           "PENDING_VALIDATION",
			"DomainValidationOptions": dvo("PENDING_VALIDATION"),
			"UpdatedAt":               epochSeconds(s.anchor.AddDate(0, 0, -1)),
		}
	}
	return c
}

// acmSerial renders 32 hex digits as AWS does: colon-separated pairs.
func acmSerial(h string) string {
	pairs := make([]string, 0, len(h)/2)
	for k := 0; k+1 < len(h); k += 2 {
		pairs = append(pairs, h[k:k+2])
	}
	return strings.Join(pairs, ":")
}

func (s *Server) acmInUseBy(a *account, i int) []string {
	region := s.itemRegion(i)
	lb := func(name string) string {
		return "arn:aws:elasticloadbalancing:" + region + ":" + a.id + ":loadbalancer/app/" + name + "/" +
			s.resourceID("", 16, hexDigits, "acm/lb/"+name, a, i)
	}
	out := []string{}
	if acmVariant(i) == 0 {
		out = append(out, lb("sim-web-"+strconv.Itoa(i)))
	}
	for g := 1; g <= a.tech(techACM).generation(i); g++ {
		out = append(out, lb("sim-mutation-"+strconv.Itoa(g)))
	}
	return out
}

// acmSummary is the ListCertificates CertificateSummary of certificate i.
func (s *Server) acmSummary(a *account, i int) map[string]any {
	c := s.acmCert(a, i)
	out := map[string]any{"SubjectAlternativeNameSummaries": c["SubjectAlternativeNames"],
		"HasAdditionalSubjectAlternativeNames": false, "InUse": len(c["InUseBy"].([]string)) > 0,
		"KeyUsages": []string{"DIGITAL_SIGNATURE", "KEY_ENCIPHERMENT"}, "ExtendedKeyUsages": []string{"TLS_WEB_SERVER_AUTHENTICATION", "TLS_WEB_CLIENT_AUTHENTICATION"}}
	for _, k := range []string{"CertificateArn", "DomainName", "Status", "Type", "KeyAlgorithm", "RenewalEligibility",
		"NotBefore", "NotAfter", "CreatedAt", "IssuedAt", "ImportedAt"} {
		if v, ok := c[k]; ok {
			out[k] = v
		}
	}
	return out
}

func (s *Server) acmListCertificates(req *request) (result, *apiError) {
	var in struct {
		MaxItems            int
		NextToken           string
		CertificateStatuses []string
		Includes            struct{ KeyTypes []string }
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	size, start, aerr := jsonPage(in.MaxItems, 1000, 1000, in.NextToken, techACM)
	if aerr != nil {
		return result{}, aerr
	}
	keyTypes := in.Includes.KeyTypes
	if len(keyTypes) == 0 {
		keyTypes = []string{"RSA_2048"}
	}
	a := req.acct
	ts := a.tech(techACM)
	keep := func(i int) bool {
		if !slices.Contains(keyTypes, acmKeyAlgorithm(i)) {
			return false
		}
		if len(in.CertificateStatuses) == 0 {
			return true
		}
		st := "ISSUED"
		if acmVariant(i) == 3 {
			st = "EXPIRED"
		}
		return slices.Contains(in.CertificateStatuses, st)
	}
	list := make([]map[string]any, 0, min(size, 64))
	next, more := s.regionItems(ts, s.regionIndex(req.region), start, keep, func(i int) bool {
		if len(list) == size {
			return false
		}
		list = append(list, s.acmSummary(a, i))
		return true
	})
	out := map[string]any{"CertificateSummaryList": list}
	if more {
		out["NextToken"] = pageToken(techACM, next)
	}
	return jsonResult(out), nil
}

func (s *Server) acmDescribeCertificate(req *request) (result, *apiError) {
	var in struct{ CertificateArn string }
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	i := -1
	if k := strings.LastIndexByte(in.CertificateArn, '-'); k >= 0 {
		if n, err := strconv.Atoi(in.CertificateArn[k+1:]); err == nil && n >= 0 {
			i = n
		}
	}
	if i < 0 || !a.tech(techACM).exists(i) || s.itemRegion(i) != req.region || s.acmARN(a, i) != in.CertificateArn {
		return result{}, errf(http.StatusBadRequest, "ResourceNotFoundException", "Could not find certificate %s.", in.CertificateArn)
	}
	return jsonResult(map[string]any{"Certificate": s.acmCert(a, i)}), nil
}
