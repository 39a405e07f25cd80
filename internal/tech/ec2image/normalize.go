package ec2image

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// imageARN is arn:aws:ec2:<region>::image/<ImageId>: no account, and the
// partition hard-coded as CloudAux did.
func imageARN(region, id string) string { return "arn:aws:ec2:" + region + "::image/" + id }

// normalize builds the stored config (technologies.md A.20): the
// DescribeImages entry unchanged (API casing), KernelId and RamdiskId as
// attribute values ({"Value": id} or {}), the launch permissions, the
// product codes (already in the DescribeImages entry, which saves the
// productCodes attribute call), Arn, Region and _version 1.
func normalize(im *types.Image, perms []types.LaunchPermission, region string) monkey.Config {
	cfg, _ := awsclient.Passthrough(im).(map[string]any)
	if cfg == nil {
		cfg = map[string]any{}
	}
	cfg["KernelId"] = attributeValue(im.KernelId)
	cfg["RamdiskId"] = attributeValue(im.RamdiskId)
	lp := make([]any, len(perms))
	for i := range perms {
		lp[i] = awsclient.Passthrough(perms[i])
	}
	cfg["LaunchPermissions"] = lp
	if _, ok := cfg["ProductCodes"]; !ok {
		cfg["ProductCodes"] = []any{}
	}
	cfg["Arn"] = imageARN(region, aws.ToString(im.ImageId))
	cfg["Region"] = region
	cfg["_version"] = 1
	return cfg
}

func attributeValue(id *string) map[string]any {
	if id == nil {
		return map[string]any{}
	}
	return map[string]any{"Value": *id}
}
