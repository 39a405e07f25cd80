package awssim

import (
	"fmt"
	"net/http"
	"strings"
)

// Elasticsearch Service (signing name es): ListDomainNames,
// DescribeElasticsearchDomains (up to 5 names a call), and the technology
// elasticsearchservice. REST-JSON.

const techES = "elasticsearchservice"

func esService() *service {
	return &service{
		name:     "es",
		id:       "elasticsearchservice",
		protocol: restJSON{},
		ops: map[string]operation{
			"ListDomainNames":              {http: "GET /2015-01-01/domain", handle: (*Server).esListDomainNames},
			"DescribeElasticsearchDomains": {http: "POST /2015-01-01/es/domain-info", handle: (*Server).esDescribeDomains},
		},
		throttle: errorShape{http.StatusTooManyRequests, "TooManyRequestsException", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: es:{op}"},
		unknown:  errorShape{http.StatusNotFound, "UnknownOperationException", "Unknown operation {op}"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techES,
			createdHour: 78,
			arn:         func(s *Server, a *account, i int) string { return s.esDomainARN(a, i) },
			mutates:     "one more statement in the domain access policy",
		}},
	}
}

func esDomainName(i int) string { return fmt.Sprintf("sim-es-%d", i) }

func (s *Server) esDomainARN(a *account, i int) string {
	return "arn:aws:es:" + s.itemRegion(i) + ":" + a.id + ":domain/" + esDomainName(i)
}

func (s *Server) esListDomainNames(req *request) (result, *apiError) {
	type name struct{ DomainName, EngineType string }
	var names []name
	s.regionItems(req.acct.tech(techES), s.regionIndex(req.region), 0, nil, func(i int) bool {
		names = append(names, name{esDomainName(i), "Elasticsearch"})
		return true
	})
	if names == nil {
		names = []name{}
	}
	return jsonResult(map[string]any{"DomainNames": names}), nil
}

func (s *Server) esDescribeDomains(req *request) (result, *apiError) {
	var in struct{ DomainNames []string }
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	if len(in.DomainNames) == 0 || len(in.DomainNames) > 5 {
		return result{}, errf(http.StatusBadRequest, "ValidationException", "DomainNames: want 1 to 5 names, got %d", len(in.DomainNames))
	}
	a := req.acct
	list := []map[string]any{}
	for _, n := range in.DomainNames {
		i, ok := s.itemIndex(req, techES, n, esDomainName)
		if !ok {
			continue // unknown domains are left out, as AWS does
		}
		arn := s.esDomainARN(a, i)
		list = append(list, map[string]any{
			"DomainId":             a.id + "/" + n,
			"DomainName":           n,
			"ARN":                  arn,
			"Created":              true,
			"Deleted":              false,
			"Processing":           false,
			"Endpoint":             "search-" + n + "-" + strings.ToLower(s.resourceID("", 26, b32Digits, "es/endpoint", a, i)) + "." + req.region + ".es.amazonaws.com",
			"ElasticsearchVersion": "7.10",
			"ElasticsearchClusterConfig": map[string]any{
				"InstanceType": "t3.small.elasticsearch", "InstanceCount": 1,
			},
			"AccessPolicies": s.resourcePolicy(a, i, a.tech(techES).generation(i), arn+"/*", "es:ESHttpGet", false),
		})
	}
	return jsonResult(map[string]any{"DomainStatusList": list}), nil
}
