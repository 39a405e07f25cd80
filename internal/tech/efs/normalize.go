package efs

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored shape of docs/technologies.md: the file
// system passed through (dates ISO-Z), Tags as a map, Arn and the parsed
// file system policy (null when none).
func normalize(fs *types.FileSystemDescription, policy *string) (monkey.Config, error) {
	cfg, _ := awsclient.Passthrough(fs).(map[string]any)
	tags := make(map[string]any, len(fs.Tags))
	for _, t := range fs.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	cfg["Tags"] = tags
	cfg["Arn"] = aws.ToString(fs.FileSystemArn)
	doc, err := awsclient.PolicyDocumentPtr(policy)
	if err != nil {
		return nil, fmt.Errorf("file system policy: %w", err)
	}
	cfg["Policy"] = doc
	return cfg, nil
}
