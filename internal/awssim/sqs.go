package awssim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// SQS: ListQueues, GetQueueAttributes, ListQueueTags,
// ListDeadLetterSourceQueues, and the technology sqs. awsJson 1.0,
// query-compatible (the SDK reports the awsQuery codes).

const techSQS = "sqs"

func sqsService() *service {
	return &service{
		name: "sqs",
		protocol: awsJSON{version: "1.0", target: "AmazonSQS", queryCompatible: true,
			queryCodes: map[string]string{"QueueDoesNotExist": "AWS.SimpleQueueService.NonExistentQueue", "AccessDeniedException": "AccessDenied"}},
		ops: map[string]operation{
			"ListQueues":                 {handle: (*Server).sqsListQueues},
			"GetQueueAttributes":         {handle: sqsQueue((*Server).sqsGetQueueAttributes)},
			"ListQueueTags":              {handle: sqsQueue((*Server).sqsListQueueTags)},
			"ListDeadLetterSourceQueues": {handle: sqsQueue((*Server).sqsListDeadLetterSourceQueues)},
		},
		throttle: errorShape{http.StatusForbidden, "RequestThrottled", "Request is throttled."},
		denied:   errorShape{http.StatusForbidden, "AccessDeniedException", "Access to the resource is denied."},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "The action {op} is not valid for this endpoint."},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techSQS,
			createdHour: 43,
			arn: func(s *Server, a *account, i int) string {
				return s.queueARN(a, i)
			},
			mutates: "one more statement in the queue policy, VisibilityTimeout 30+g",
		}},
	}
}

func sqsQueueName(i int) string { return fmt.Sprintf("sim-queue-%d", i) }

func (s *Server) queueARN(a *account, i int) string {
	return "arn:aws:sqs:" + s.itemRegion(i) + ":" + a.id + ":" + sqsQueueName(i)
}

func (s *Server) queueURL(a *account, i int) string {
	return "https://sqs." + s.itemRegion(i) + ".amazonaws.com/" + a.id + "/" + sqsQueueName(i)
}

// sqsQueue resolves the QueueUrl of a request (QueueDoesNotExist).
func sqsQueue(h func(s *Server, req *request, i int) (result, *apiError)) func(*Server, *request) (result, *apiError) {
	return func(s *Server, req *request) (result, *apiError) {
		var in struct{ QueueUrl string }
		if aerr := req.decode(&in); aerr != nil {
			return result{}, aerr
		}
		parts := strings.Split(in.QueueUrl, "/")
		if len(parts) < 2 || parts[len(parts)-2] != req.acct.id {
			return result{}, errf(http.StatusBadRequest, "QueueDoesNotExist", "The specified queue does not exist.")
		}
		i, ok := s.itemIndex(req, techSQS, parts[len(parts)-1], sqsQueueName)
		if !ok {
			return result{}, errf(http.StatusBadRequest, "QueueDoesNotExist", "The specified queue does not exist.")
		}
		return h(s, req, i)
	}
}

func (s *Server) sqsListQueues(req *request) (result, *apiError) {
	var in struct {
		QueueNamePrefix string
		MaxResults      int
		NextToken       string
	}
	if aerr := req.decode(&in); aerr != nil {
		return result{}, aerr
	}
	size, start, aerr := jsonPage(in.MaxResults, 1000, 1000, in.NextToken, "sqs")
	if aerr != nil {
		return result{}, aerr
	}
	urls, next := regionPage(s, req, techSQS, size, start, "sqs", func(i int) string { return s.queueURL(req.acct, i) })
	out := map[string]any{"QueueUrls": urls}
	if next != "" && in.MaxResults > 0 {
		out["NextToken"] = next
	}
	return jsonResult(out), nil
}

// sqsDLQStep: queue i with i%8 == 0 is the dead-letter queue of queue
// i+len(Regions) (the same region).
func (s *Server) sqsDLQStep() int { return len(s.opts.Regions) }

func (s *Server) sqsGetQueueAttributes(req *request, i int) (result, *apiError) {
	a := req.acct
	gen := a.tech(techSQS).generation(i)
	created := strconv.FormatInt(s.created(techSQS, i).Unix(), 10)
	attrs := map[string]string{
		"QueueArn":                              s.queueARN(a, i),
		"ApproximateNumberOfMessages":           strconv.Itoa(i % 7),
		"ApproximateNumberOfMessagesNotVisible": "0",
		"ApproximateNumberOfMessagesDelayed":    "0",
		"CreatedTimestamp":                      created,
		"LastModifiedTimestamp":                 created,
		"VisibilityTimeout":                     strconv.Itoa(30 + gen),
		"MaximumMessageSize":                    "262144",
		"MessageRetentionPeriod":                "345600",
		"DelaySeconds":                          "0",
		"ReceiveMessageWaitTimeSeconds":         "0",
		"SqsManagedSseEnabled":                  strconv.FormatBool(i%2 == 1),
	}
	if i%2 == 0 {
		attrs["KmsMasterKeyId"] = "alias/aws/sqs"
	}
	if p := s.resourcePolicy(a, i, gen, s.queueARN(a, i), "sqs:SendMessage", false); p != "" {
		attrs["Policy"] = p
	}
	if step := s.sqsDLQStep(); i >= step && (i-step)%8 == 0 && a.tech(techSQS).exists(i-step) {
		attrs["RedrivePolicy"] = `{"deadLetterTargetArn":"` + s.queueARN(a, i-step) + `","maxReceiveCount":5}`
	}
	return jsonResult(map[string]any{"Attributes": attrs}), nil
}

func (s *Server) sqsListQueueTags(req *request, i int) (result, *apiError) {
	out := map[string]any{}
	if tags := simTags(sqsQueueName(i), i); len(tags) > 0 {
		out["Tags"] = tagMap(tags)
	}
	return jsonResult(out), nil
}

func (s *Server) sqsListDeadLetterSourceQueues(req *request, i int) (result, *apiError) {
	urls := []string{}
	if j := i + s.sqsDLQStep(); i%8 == 0 && req.acct.tech(techSQS).exists(j) {
		urls = append(urls, s.queueURL(req.acct, j))
	}
	return jsonResult(map[string]any{"queueUrls": urls}), nil
}
