package awssim

import (
	"net/http"
	"strconv"
	"strings"
)

// Resource policies of the technologies that carry one (sqs, sns, kms,
// lambda, glacier, elasticsearchservice, ecrrepository, secretsmanager, efs,
// eventbus, apigateway): one generator, so that every such technology seeds
// the same secure and insecure variants of the resource-policy checks
// (auditors.md §4.1), and one mutation (a statement more per generation).

// Flavours of resourcePolicy, by policyFlavor(i).
const (
	polOwn        = iota // the owning account only (secure)
	polPublic            // Principal "*": Internet Accessible
	polFriendly          // the next simulated account's root: Friendly (or own) + Cross-Account Root
	polUnknown           // an unknown account's root: Unknown Access + Cross-Account Root
	polThirdParty        // an AWS-owned account (ELB log delivery): Thirdparty + Cross-Account Root
	polCondition         // "*" narrowed by aws:SourceAccount of an unknown account: Unknown Access
	polNone              // no policy (a service principal where a policy always exists)
	polFlavors
)

// strangerAccount is an account no simulated or registered account owns.
const strangerAccount = "210987654321"

// policyFlavor is the policy flavour of item i: the first 50 items cycle
// through every flavour, the bulk is owner-only.
func policyFlavor(i int) int {
	if bulkBenign(i) {
		return polOwn
	}
	return i % polFlavors
}

// resourcePolicy is the JSON policy document of item i in account a on the
// resource arn allowing action, plus one statement per mutation generation;
// "" for the polNone flavour of a resource that may have no policy
// (always false: a service principal's statement instead).
func (s *Server) resourcePolicy(a *account, i, gen int, arn, action string, always bool) string {
	principal := func(acct string) string { return `{"AWS":"arn:aws:iam::` + acct + `:root"}` }
	var st []string
	stmt := func(sid, principal, cond string) {
		x := `{"Sid":"` + sid + `","Effect":"Allow","Principal":` + principal + `,"Action":"` + action + `","Resource":"` + arn + `"`
		if cond != "" {
			x += `,"Condition":` + cond
		}
		st = append(st, x+"}")
	}
	switch policyFlavor(i) {
	case polOwn:
		stmt("OwnerOnly", principal(a.id), "")
	case polPublic:
		stmt("Public", `"*"`, "")
	case polFriendly:
		stmt("PartnerAccount", principal(s.nextAccount(a).id), "")
	case polUnknown:
		stmt("UnknownAccount", principal(strangerAccount), "")
	case polCondition:
		stmt("SourceAccount", `"*"`, `{"StringEquals":{"aws:SourceAccount":"777788889999"}}`)
	case polThirdParty:
		stmt("ThirdParty", principal(awsOwnedAccount), "")
	case polNone:
		if always {
			stmt("Service", `{"Service":"events.amazonaws.com"}`, "")
		}
	}
	for g := 1; g <= gen; g++ {
		stmt("sim-mutation-"+strconv.Itoa(g), principal(a.id), "")
	}
	if len(st) == 0 {
		return ""
	}
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(st, ",") + `]}`
}

// simTags are the tags of item i of a technology: none for every third
// item, a Name tag and an env tag otherwise.
func simTags(name string, i int) []tag {
	if i%3 == 2 {
		return nil
	}
	return []tag{{"Name", name}, {"env", [...]string{"prod", "dev"}[i%2]}}
}

// itemIndex resolves a simulated item name of the form <prefix><i> (e.g.
// "sim-queue-12") in the technology tech of the request's account: the
// index of a live item living in the request's region.
func (s *Server) itemIndex(req *request, tech, name string, nameOf func(int) string) (int, bool) {
	k := strings.LastIndexByte(name, '-')
	if k < 0 {
		return 0, false
	}
	i, err := strconv.Atoi(name[k+1:])
	if err != nil || i < 0 || nameOf(i) != name {
		return 0, false
	}
	if !req.acct.tech(tech).exists(i) || s.itemRegion(i) != req.region {
		return 0, false
	}
	return i, true
}

// jsonPage reads a JSON page request: the size (def when 0, 1..max)
// and the start index of a token of kind.
func jsonPage(size, def, max int, token, kind string) (int, int, *apiError) {
	if size == 0 {
		size = def
	}
	if size < 1 || size > max {
		return 0, 0, errf(http.StatusBadRequest, "ValidationException", "page size %d: want 1..%d", size, max)
	}
	start, ok := pageStart(token, kind)
	if !ok {
		return 0, 0, errf(http.StatusBadRequest, "ValidationException", "invalid pagination token %q", token)
	}
	return size, start, nil
}

// regionPage collects up to size live items of tech in the request's
// region from start, rendered by item, and the token of the next page
// ("" at the end).
func regionPage[T any](s *Server, req *request, tech string, size, start int, kind string, item func(i int) T) ([]T, string) {
	out := make([]T, 0, min(size, 64))
	next, more := s.regionItems(req.acct.tech(tech), s.regionIndex(req.region), start, nil, func(i int) bool {
		if len(out) == size {
			return false
		}
		out = append(out, item(i))
		return true
	})
	if !more {
		return out, ""
	}
	return out, pageToken(kind, next)
}
