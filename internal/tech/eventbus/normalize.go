package eventbus

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored shape of docs/technologies.md: the bus
// passed through (dates ISO-Z) with its policy parsed (null when none).
func normalize(b *types.EventBus) (monkey.Config, error) {
	cfg, _ := awsclient.Passthrough(b).(map[string]any)
	doc, err := awsclient.PolicyDocumentPtr(b.Policy)
	if err != nil {
		return nil, fmt.Errorf("event bus policy: %w", err)
	}
	cfg["Policy"] = doc
	return cfg, nil
}
