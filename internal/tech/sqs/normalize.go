package sqs

import (
	"fmt"
	"strings"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// raw is what the SQS calls return for one queue.
type raw struct {
	URL, Region       string
	Attributes        map[string]string
	Tags              map[string]string
	DeadLetterSources []string
}

// normalize builds the stored shape of technologies.md A.7: the item name
// and region derive from the queue ARN (a batched technology of the
// reference), Policy is parsed, every other attribute kept as a string.
func normalize(r *raw) (monkey.Config, error) {
	arn := r.Attributes["QueueArn"]
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[5] == "" {
		return nil, fmt.Errorf("queue %s: bad QueueArn %q", r.URL, arn)
	}
	attrs := make(map[string]any, len(r.Attributes))
	for k, v := range r.Attributes {
		attrs[k] = v
	}
	if p, ok := r.Attributes["Policy"]; ok {
		doc, err := awsclient.PolicyDocument(p)
		if err != nil {
			return nil, fmt.Errorf("queue %s: policy: %w", r.URL, err)
		}
		attrs["Policy"] = doc
	}
	var tags any = []any{} // the reference stored [] for a queue without tags
	if len(r.Tags) > 0 {
		m := make(map[string]any, len(r.Tags))
		for k, v := range r.Tags {
			m[k] = v
		}
		tags = m
	}
	dlq := make([]any, len(r.DeadLetterSources))
	for i, u := range r.DeadLetterSources {
		dlq[i] = u
	}
	region := parts[3]
	if region == "" {
		region = r.Region
	}
	return monkey.Config{
		"Arn":                    arn,
		"Url":                    r.URL,
		"Name":                   parts[5],
		"Region":                 region,
		"Attributes":             attrs,
		"Tags":                   tags,
		"DeadLetterSourceQueues": dlq,
		"_version":               1,
	}, nil
}
