// Package sqs watches and audits SQS queues (A.7 in technologies.md).
package sqs

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes sqs (technologies.md §0.8): a batched technology of
// the reference, whose deletions are stored as {"Arn": …}.
var Technology = monkey.Technology{
	Index:    "sqs",
	Singular: "SQS Policy",
	Plural:   "SQS Policies",
	Cloud:    monkey.CloudAWS,
	EphemeralPaths: []string{"_version", "Attributes$LastModifiedTimestamp",
		"Attributes$ApproximateNumberOfMessagesNotVisible", "Attributes$ApproximateNumberOfMessages",
		"Attributes$ApproximateNumberOfMessagesDelayed"},
	ARNDeletion: true,
}
