package awssim

import (
	"net/http"
	"strconv"
	"strings"
)

const sesNS = "http://ses.amazonaws.com/doc/2010-12-01/"

// SES (v1, signing name ses, awsQuery): ListIdentities,
// GetIdentityVerificationAttributes, ListVerifiedEmailAddresses, and the
// technology ses; SendEmail and SendRawEmail keep what they send in an
// outbox that tests read (SentEmails, GET /_sim/ses; ses_send.go).
//
// Identity i lives in Regions[i % len(Regions)]: a domain
// sim-<i>.example.com for even i, an address ops-<i>@sim.example.com for
// odd i. Verification (i%4 for the first 50 indices and every 20th after
// them; verified otherwise): 0 and 1 Success, 2 Pending, 3 Failed. A
// mutation flips the verification (Success ↔ Pending) once per generation.

const techSES = "ses"

func sesService() *service {
	return &service{
		name:     "ses",
		protocol: awsQuery{xmlns: sesNS},
		ops: map[string]operation{
			"ListIdentities":                    {handle: (*Server).sesListIdentities},
			"GetIdentityVerificationAttributes": {handle: (*Server).sesGetIdentityVerificationAttributes},
			"ListVerifiedEmailAddresses":        {handle: (*Server).sesListVerifiedEmailAddresses},
			"SendEmail":                         {handle: (*Server).sesSendEmail},
			"SendRawEmail":                      {handle: (*Server).sesSendRawEmail},
		},
		newState: func(*Server) any { return &sesOutbox{} },
		controls: []control{{http.MethodGet, "/_sim/ses", func(s *Server, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, s.SentEmails())
		}}},
		throttle: errorShape{http.StatusBadRequest, "Throttling", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDenied", "User is not authorized to perform: ses:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "Could not find operation {op} for version 2010-12-01"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techSES,
			createdHour: 85,
			arn: func(s *Server, a *account, i int) string {
				return "arn:aws:ses:" + s.itemRegion(i) + ":" + a.id + ":identity/" + sesIdentity(i)
			},
			mutates: "the verification status flips (Success ↔ Pending)",
		}},
	}
}

// sesIdentity is identity i: a domain for even i, an e-mail address for odd i.
func sesIdentity(i int) string {
	if i%2 == 0 {
		return "sim-" + strconv.Itoa(i) + ".example.com"
	}
	return "ops-" + strconv.Itoa(i) + "@sim.example.com"
}

// sesIndex is the index of a simulated identity name (-1 when it is none).
func sesIndex(name string) int {
	var num string
	if rest, ok := strings.CutPrefix(name, "sim-"); ok {
		num, _ = strings.CutSuffix(rest, ".example.com")
	} else if rest, ok := strings.CutPrefix(name, "ops-"); ok {
		num, _ = strings.CutSuffix(rest, "@sim.example.com")
	}
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 || sesIdentity(i) != name {
		return -1
	}
	return i
}

// sesStatus is the verification status of identity i at mutation
// generation gen.
func sesStatus(i, gen int) string {
	status := "Success"
	if !bulkBenign(i) {
		status = [...]string{"Success", "Success", "Pending", "Failed"}[i%4]
	}
	if gen%2 == 1 {
		if status == "Success" {
			return "Pending"
		}
		return "Success"
	}
	return status
}

func (s *Server) sesListIdentities(req *request) (result, *apiError) {
	v := req.form.Get("MaxItems")
	size, ok := pageSize(v, 100, 1000)
	if !ok {
		return result{}, errf(http.StatusBadRequest, "ValidationError", "Value '%s' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000", v)
	}
	start, ok := pageStart(req.form.Get("NextToken"), techSES)
	if !ok {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Invalid NextToken")
	}
	var keep func(int) bool
	switch t := req.form.Get("IdentityType"); t {
	case "":
	case "Domain":
		keep = func(i int) bool { return i%2 == 0 }
	case "EmailAddress":
		keep = func(i int) bool { return i%2 == 1 }
	default:
		return result{}, errf(http.StatusBadRequest, "ValidationError", "Value '%s' at 'identityType' failed to satisfy enum value set: [EmailAddress, Domain]", t)
	}
	x := newXWSize(size * 64)
	x.open("Identities")
	count := 0
	next, more := s.regionItems(req.acct.tech(techSES), s.regionIndex(req.region), start, keep, func(i int) bool {
		if count == size {
			return false
		}
		x.elem("member", sesIdentity(i))
		count++
		return true
	})
	x.close("Identities")
	if more {
		x.elem("NextToken", pageToken(techSES, next))
	}
	return xmlResult(x), nil
}

func (s *Server) sesGetIdentityVerificationAttributes(req *request) (result, *apiError) {
	var names []string
	for k := 1; ; k++ {
		v, ok := req.form["Identities.member."+strconv.Itoa(k)]
		if !ok {
			break
		}
		names = append(names, v[0])
	}
	if len(names) > 100 {
		return result{}, errf(http.StatusBadRequest, "ValidationError", "Value at 'identities' failed to satisfy constraint: Member must have length less than or equal to 100")
	}
	ts := req.acct.tech(techSES)
	x := newXWSize(len(names)*160 + 64)
	x.open("VerificationAttributes")
	for _, name := range names {
		i := sesIndex(name)
		if i < 0 || !ts.exists(i) || s.itemRegion(i) != req.region {
			continue // unknown identities are left out, as SES does
		}
		x.open("entry")
		x.elem("key", name)
		x.open("value")
		x.elem("VerificationStatus", sesStatus(i, ts.generation(i)))
		if i%2 == 0 {
			x.elem("VerificationToken", s.resourceID("", 44, b32Digits, "ses/token", req.acct, i))
		}
		x.close("value")
		x.close("entry")
	}
	x.close("VerificationAttributes")
	return xmlResult(x), nil
}

// sesListVerifiedEmailAddresses lists the verified addresses of the region
// (the reference's way to tell verified addresses; not paged).
func (s *Server) sesListVerifiedEmailAddresses(req *request) (result, *apiError) {
	ts := req.acct.tech(techSES)
	x := newXW()
	x.open("VerifiedEmailAddresses")
	s.regionItems(ts, s.regionIndex(req.region), 0, func(i int) bool { return i%2 == 1 && sesStatus(i, ts.generation(i)) == "Success" },
		func(i int) bool {
			x.elem("member", sesIdentity(i))
			return true
		})
	x.close("VerifiedEmailAddresses")
	return xmlResult(x), nil
}
