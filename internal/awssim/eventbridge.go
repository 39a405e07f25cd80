package awssim

import (
	"fmt"
	"net/http"
)

// EventBridge (signing name events): ListEventBuses, and the technology
// eventbus. awsJson 1.1. ListEventBuses returns each bus's policy, so the
// watcher needs nothing else.

const techEventBus = "eventbus"

func eventBridgeService() *service {
	return &service{
		name:     "events",
		id:       "eventbridge",
		protocol: awsJSON{version: "1.1", target: "AWSEvents"},
		ops: map[string]operation{
			"ListEventBuses": {handle: (*Server).eventsListEventBuses},
		},
		throttle: errorShape{http.StatusBadRequest, "ThrottlingException", "Rate exceeded"},
		denied:   errorShape{http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: events:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "UnknownOperationException", "Operation {op} is not supported by the simulator"},
		check: enabledRegion(
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."},
			errorShape{http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techEventBus,
			createdHour: 106,
			arn:         func(s *Server, a *account, i int) string { return s.eventBusARN(a, i) },
			mutates:     "one more statement in the event bus policy",
		}},
	}
}

func eventBusName(i int) string { return fmt.Sprintf("sim-bus-%d", i) }

func (s *Server) eventBusARN(a *account, i int) string {
	return "arn:aws:events:" + s.itemRegion(i) + ":" + a.id + ":event-bus/" + eventBusName(i)
}

func (s *Server) eventsListEventBuses(req *request) (result, *apiError) {
	var in struct {
		Limit     int
		NextToken string
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	size, start, aerr := jsonPage(in.Limit, 100, 100, in.NextToken, "bus")
	if aerr != nil {
		return result{}, aerr
	}
	a := req.acct
	buses, next := regionPage(s, req, techEventBus, size, start, "bus", func(i int) map[string]any {
		arn := s.eventBusARN(a, i)
		b := map[string]any{
			"Name":             eventBusName(i),
			"Arn":              arn,
			"CreationTime":     epochSeconds(s.created(techEventBus, i)),
			"LastModifiedTime": epochSeconds(s.created(techEventBus, i)),
		}
		if i%2 == 0 {
			b["Description"] = "simulated event bus"
		}
		if p := s.resourcePolicy(a, i, a.tech(techEventBus).generation(i), arn, "events:PutEvents", false); p != "" {
			b["Policy"] = p
		}
		return b
	})
	out := map[string]any{"EventBuses": buses}
	if next != "" {
		out["NextToken"] = next
	}
	return jsonResult(out), nil
}
