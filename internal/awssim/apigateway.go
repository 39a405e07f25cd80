package awssim

import (
	"fmt"
	"net/http"
	"strings"
)

// API Gateway: GetRestApis, and the technology apigateway. REST-JSON. The
// REST API's resource policy comes with the list, as a JSON string whose
// quotes are backslash-escaped (API Gateway's own quirk).

const techAPIGateway = "apigateway"

func apiGatewayService() *service {
	return &service{
		name:     "apigateway",
		protocol: restJSON{},
		ops: map[string]operation{
			"GetRestApis": {http: "GET /restapis", handle: (*Server).apigwGetRestApis},
		},
		throttle: errorShape{http.StatusTooManyRequests, "TooManyRequestsException", "Too Many Requests"},
		denied:   errorShape{http.StatusForbidden, "AccessDeniedException", "User is not authorized to perform: apigateway:{op}"},
		unknown:  errorShape{http.StatusNotFound, "UnknownOperationException", "Unknown operation {op}"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techAPIGateway,
			createdHour: 113,
			arn:         func(s *Server, a *account, i int) string { return s.restAPIARN(a, i) },
			mutates:     "one more statement in the REST API policy",
		}},
	}
}

func (s *Server) restAPIID(a *account, i int) string {
	return s.resourceID("", 10, "abcdefghijklmnopqrstuvwxyz0123456789", "apigateway/id", a, i)
}

func (s *Server) restAPIARN(a *account, i int) string {
	return "arn:aws:apigateway:" + s.itemRegion(i) + "::/restapis/" + s.restAPIID(a, i)
}

func (s *Server) apigwGetRestApis(req *request) (result, *apiError) {
	size, ok := pageSize(req.form.Get("limit"), 25, 500)
	start, okStart := pageStart(req.form.Get("position"), "restapi")
	if !ok || !okStart {
		return result{}, errf(http.StatusBadRequest, "BadRequestException", "bad limit or position")
	}
	a := req.acct
	apis, next := regionPage(s, req, techAPIGateway, size, start, "restapi", func(i int) map[string]any {
		id := s.restAPIID(a, i)
		types := []string{[...]string{"REGIONAL", "EDGE", "PRIVATE"}[i%3]}
		api := map[string]any{
			"id":                        id,
			"name":                      fmt.Sprintf("sim-api-%d", i),
			"createdDate":               epochSeconds(s.created(techAPIGateway, i)),
			"apiKeySource":              "HEADER",
			"endpointConfiguration":     map[string]any{"types": types},
			"disableExecuteApiEndpoint": false,
			"tags":                      tagMap(simTags(fmt.Sprintf("sim-api-%d", i), i)),
		}
		if i%2 == 0 {
			api["description"] = "simulated REST API"
		}
		resource := "arn:aws:execute-api:" + req.region + ":" + a.id + ":" + id + "/*"
		if p := s.resourcePolicy(a, i, a.tech(techAPIGateway).generation(i), resource, "execute-api:Invoke", false); p != "" {
			api["policy"] = strings.ReplaceAll(p, `"`, `\"`)
		}
		return api
	})
	out := map[string]any{"item": apis}
	if next != "" {
		out["position"] = next
	}
	return jsonResult(out), nil
}
