package awssim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const snsNS = "http://sns.amazonaws.com/doc/2010-03-31/"

// SNS: ListTopics, GetTopicAttributes, ListSubscriptions, and the
// technology sns. awsQuery.

const techSNS = "sns"

func snsService() *service {
	return &service{
		name:     "sns",
		protocol: awsQuery{xmlns: snsNS},
		ops: map[string]operation{
			"ListTopics":         {handle: (*Server).snsListTopics},
			"GetTopicAttributes": {handle: (*Server).snsGetTopicAttributes},
			"ListSubscriptions":  {handle: (*Server).snsListSubscriptions},
		},
		throttle: errorShape{http.StatusBadRequest, "Throttling", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AuthorizationError", "User is not authorized to perform: SNS:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "The action {op} is not valid for this endpoint."},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techSNS,
			createdHour: 64,
			arn:         func(s *Server, a *account, i int) string { return s.topicARN(a, i) },
			mutates:     "one more statement in the topic policy",
		}},
	}
}

// Seeded subscriptions (i%4 unless bulk): 0 none, 1 an SQS queue of the
// same account, 2 an HTTPS endpoint owned by the next simulated account,
// 3 an e-mail address owned by an account nobody knows.

func topicName(i int) string { return fmt.Sprintf("sim-topic-%d", i) }

func (s *Server) topicARN(a *account, i int) string {
	return "arn:aws:sns:" + s.itemRegion(i) + ":" + a.id + ":" + topicName(i)
}

func (s *Server) snsListTopics(req *request) (result, *apiError) {
	start, ok := pageStart(req.form.Get("NextToken"), "sns")
	if !ok {
		return result{}, errf(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: NextToken")
	}
	arns, next := regionPage(s, req, techSNS, 100, start, "sns", func(i int) string { return s.topicARN(req.acct, i) })
	x := newXWSize(100 * 120)
	x.open("Topics")
	for _, arn := range arns {
		x.open("member")
		x.elem("TopicArn", arn)
		x.close("member")
	}
	x.close("Topics")
	if next != "" {
		x.elem("NextToken", next)
	}
	return xmlResult(x), nil
}

func (s *Server) snsGetTopicAttributes(req *request) (result, *apiError) {
	arn := req.form.Get("TopicArn")
	parts := strings.Split(arn, ":")
	i, ok := 0, false
	if len(parts) == 6 && parts[4] == req.acct.id {
		i, ok = s.itemIndex(req, techSNS, parts[5], topicName)
	}
	if !ok {
		return result{}, errf(http.StatusNotFound, "NotFound", "Topic does not exist")
	}
	a := req.acct
	subs := 0
	if s.snsSubscription(a, i) != nil {
		subs = 1
	}
	x := newXW()
	x.open("Attributes")
	for _, kv := range [][2]string{
		{"TopicArn", arn},
		{"Owner", a.id},
		{"Policy", s.resourcePolicy(a, i, a.tech(techSNS).generation(i), arn, "SNS:Publish", true)},
		{"DisplayName", ""},
		{"SubscriptionsConfirmed", strconv.Itoa(subs)},
		{"SubscriptionsPending", "0"},
		{"SubscriptionsDeleted", "0"},
	} {
		x.open("entry")
		x.elem("key", kv[0])
		x.elem("value", kv[1])
		x.close("entry")
	}
	x.close("Attributes")
	return xmlResult(x), nil
}

type snsSub struct{ arn, owner, protocol, endpoint string }

func (s *Server) snsSubscription(a *account, i int) *snsSub {
	if bulkBenign(i) && i%4 != 1 {
		return nil
	}
	arn := s.topicARN(a, i) + ":" + s.resourceID("", 8, hexDigits, "sns/sub", a, i)
	switch i % 4 {
	case 1:
		return &snsSub{arn, a.id, "sqs", "arn:aws:sqs:" + s.itemRegion(i) + ":" + a.id + ":" + sqsQueueName(i)}
	case 2:
		return &snsSub{arn, s.nextAccount(a).id, "https", fmt.Sprintf("https://hooks.example.com/sim/%d", i)}
	case 3:
		return &snsSub{arn, strangerAccount, "email", fmt.Sprintf("ops-%d@example.com", i)}
	}
	return nil
}

func (s *Server) snsListSubscriptions(req *request) (result, *apiError) {
	start, ok := pageStart(req.form.Get("NextToken"), "snssub")
	if !ok {
		return result{}, errf(http.StatusBadRequest, "InvalidParameter", "Invalid parameter: NextToken")
	}
	a := req.acct
	x := newXWSize(100 * 300)
	x.open("Subscriptions")
	count := 0
	next, more := s.regionItems(a.tech(techSNS), s.regionIndex(req.region), start,
		func(i int) bool { return s.snsSubscription(a, i) != nil },
		func(i int) bool {
			if count == 100 {
				return false
			}
			sub := s.snsSubscription(a, i)
			x.open("member")
			x.elem("SubscriptionArn", sub.arn)
			x.elem("Owner", sub.owner)
			x.elem("Protocol", sub.protocol)
			x.elem("Endpoint", sub.endpoint)
			x.elem("TopicArn", s.topicARN(a, i))
			x.close("member")
			count++
			return true
		})
	x.close("Subscriptions")
	if more {
		x.elem("NextToken", pageToken("snssub", next))
	}
	return xmlResult(x), nil
}
