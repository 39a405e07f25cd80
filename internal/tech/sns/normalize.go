package sns

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored shape of technologies.md A.8 (snake_case
// keys): the ARN, the name, the parsed Policy attribute ({} when absent)
// and the topic's subscriptions.
func normalize(arn string, attrs map[string]string, subs []types.Subscription) (monkey.Config, error) {
	var policy any = map[string]any{}
	if p := attrs["Policy"]; p != "" {
		doc, err := awsclient.PolicyDocument(p)
		if err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		policy = doc
	}
	list := make([]any, len(subs))
	for i, s := range subs {
		list[i] = map[string]any{
			"SubscriptionArn": aws.ToString(s.SubscriptionArn),
			"Owner":           aws.ToString(s.Owner),
			"Protocol":        aws.ToString(s.Protocol),
			"Endpoint":        aws.ToString(s.Endpoint),
			"TopicArn":        aws.ToString(s.TopicArn),
		}
	}
	return monkey.Config{"arn": arn, "name": topicName(arn), "policy": policy, "subscriptions": list}, nil
}
