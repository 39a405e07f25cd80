package awssim

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Route 53 Domains: ListDomains, GetDomainDetail, and the technology
// route53domains. awsJson 1.1; the service exists in us-east-1 only (other
// regions answer UnrecognizedClientException, as an endpoint that does not
// exist would fail).
//
// Domain i is sim-domain-<i>.example. Contacts (i%3): 0 a person whose
// admin contact is the registrant; 1 a company with a separate admin
// contact; 2 an association with privacy protection on. Mutations change
// the admin contact's phone number (+1.555000<generation>).

const techR53Domains = "route53domains"

// r53DomainsRegion is the one region of the service.
const r53DomainsRegion = "us-east-1"

func route53DomainsService() *service {
	return &service{
		name:     "route53domains",
		protocol: awsJSON{version: "1.1", target: "Route53Domains_v20140515"},
		ops: map[string]operation{
			"ListDomains":     {handle: (*Server).r53dListDomains},
			"GetDomainDetail": {handle: (*Server).r53dGetDomainDetail},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: route53domains:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "UnknownOperationException", "Operation {op} is not supported by the simulator"},
		check: func(_ *Server, req *request) *apiError {
			if req.region != r53DomainsRegion {
				return errf(http.StatusBadRequest, "UnrecognizedClientException", "route53domains has no endpoint in %s", req.region)
			}
			return nil
		},
		resources: []resource{{
			tech:        techR53Domains,
			createdHour: 106,
			arn: func(_ *Server, a *account, i int) string {
				return "arn:aws:route53domains:" + r53DomainsRegion + ":" + a.id + ":domain/" + r53Domain(i)
			},
			mutates: "the admin contact's phone number",
		}},
	}
}

func r53Domain(i int) string { return "sim-domain-" + strconv.Itoa(i) + ".example" }

// r53DomainIndex is the index of a simulated domain name (-1 when none).
func r53DomainIndex(name string) int {
	num, ok := strings.CutPrefix(strings.ToLower(name), "sim-domain-")
	num, ok2 := strings.CutSuffix(num, ".example")
	i, err := strconv.Atoi(num)
	if !ok || !ok2 || err != nil || i < 0 || r53Domain(i) != strings.ToLower(name) {
		return -1
	}
	return i
}

func (s *Server) r53dExpiry(i int) time.Time { return s.anchor.AddDate(1, 0, i%365) }

func (s *Server) r53dListDomains(req *request) (result, *apiError) {
	var in struct {
		Marker   string
		MaxItems int
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	size, start, aerr := jsonPage(in.MaxItems, 20, 100, in.Marker, techR53Domains)
	if aerr != nil {
		return result{}, errf(http.StatusBadRequest, "InvalidInput", "%s", aerr.message)
	}
	ts := req.acct.tech(techR53Domains)
	list := make([]map[string]any, 0, min(size, 64))
	i := start
	for ; i < ts.n && len(list) < size; i++ {
		if !ts.exists(i) {
			continue
		}
		list = append(list, map[string]any{"DomainName": r53Domain(i), "AutoRenew": i%4 != 3, "TransferLock": true,
			"Expiry": epochSeconds(s.r53dExpiry(i))})
	}
	out := map[string]any{"Domains": list}
	for ; i < ts.n; i++ {
		if ts.exists(i) {
			out["NextPageMarker"] = pageToken(techR53Domains, i)
			break
		}
	}
	return jsonResult(out), nil
}

func (s *Server) r53dGetDomainDetail(req *request) (result, *apiError) {
	var in struct{ DomainName string }
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	i := r53DomainIndex(in.DomainName)
	if i < 0 || !a.tech(techR53Domains).exists(i) {
		return result{}, errf(http.StatusBadRequest, "InvalidInput", "Domain %s not found in account %s", in.DomainName, a.id)
	}
	domain := r53Domain(i)
	gen := a.tech(techR53Domains).generation(i)
	contact := func(first, last, kind, org string) map[string]any {
		c := map[string]any{
			"FirstName": first, "LastName": last, "ContactType": kind,
			"AddressLine1": strconv.Itoa(100+i) + " Main Street", "City": "Seattle", "State": "WA",
			"CountryCode": "US", "ZipCode": "98101", "PhoneNumber": "+1.2065550100",
			"Email": strings.ToLower(first) + "@" + domain,
		}
		if org != "" {
			c["OrganizationName"] = org
		}
		return c
	}
	var registrant, admin map[string]any
	switch i % 3 {
	case 0:
		registrant = contact("Ada", "Sim", "PERSON", "")
		admin = contact("Ada", "Sim", "PERSON", "")
	case 1:
		registrant = contact("Grace", "Sim", "COMPANY", "Sim Corp "+strconv.Itoa(i))
		admin = contact("Hostmaster", "Sim", "COMPANY", "Sim Corp "+strconv.Itoa(i))
		admin["AddressLine2"] = "Suite 5"
	default:
		registrant = contact("Alan", "Sim", "ASSOCIATION", "Sim Association")
		registrant["ExtraParams"] = []map[string]string{{"Name": "BIRTH_COUNTRY", "Value": "GB"}}
		admin = contact("Alan", "Sim", "ASSOCIATION", "Sim Association")
	}
	if gen > 0 {
		admin["PhoneNumber"] = "+1.555000" + strconv.Itoa(gen)
	}
	privacy := i%3 == 2
	created := s.created(techR53Domains, i)
	return jsonResult(map[string]any{
		"DomainName":        domain,
		"Nameservers":       []map[string]any{{"Name": "ns-" + strconv.Itoa(i%2048) + ".awsdns-00.com"}, {"Name": "ns-" + strconv.Itoa(i%2048) + ".awsdns-01.net"}},
		"AutoRenew":         i%4 != 3,
		"AdminContact":      admin,
		"RegistrantContact": registrant,
		"TechContact":       admin,
		"AdminPrivacy":      privacy,
		"RegistrantPrivacy": privacy,
		"TechPrivacy":       privacy,
		"RegistrarName":     "Amazon Registrar, Inc.",
		"WhoIsServer":       "whois.registrar.amazon",
		"RegistrarUrl":      "http://registrar.amazon.com",
		"CreationDate":      epochSeconds(created),
		"UpdatedDate":       epochSeconds(created),
		"ExpirationDate":    epochSeconds(s.r53dExpiry(i)),
		"StatusList":        []string{"clientTransferProhibited"},
	}), nil
}
