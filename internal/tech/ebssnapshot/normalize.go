package ebssnapshot

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is "<Name tag> (<SnapshotId>)", or the snapshot id when it has
// no (or an empty) Name tag.
func itemName(s *types.Snapshot) string {
	id := aws.ToString(s.SnapshotId)
	if name, _ := awsclient.EC2NameTag(s.Tags); name != "" {
		return name + " (" + id + ")"
	}
	return id
}

// attributes are the two per-snapshot attribute replies.
type attributes struct {
	createVolume []types.CreateVolumePermission
	productCodes []types.ProductCode
}

// normalize builds the stored config (technologies.md A.21): snake_case,
// with the one camel-case key ownerId.
func normalize(s *types.Snapshot, a attributes) monkey.Config {
	perms := make([]any, len(a.createVolume))
	for i := range a.createVolume {
		perms[i] = awsclient.Passthrough(a.createVolume[i])
	}
	codes := make([]any, len(a.productCodes))
	for i := range a.productCodes {
		codes[i] = awsclient.Passthrough(a.productCodes[i])
	}
	tags := []any{}
	if len(s.Tags) > 0 {
		tags = awsclient.Passthrough(s.Tags).([]any)
	}
	var size any
	if s.VolumeSize != nil {
		size = int(*s.VolumeSize)
	}
	var state any
	if s.State != "" {
		state = string(s.State)
	}
	return monkey.Config{
		"create_volume_permissions": perms,
		"product_codes":             codes,
		"name":                      itemName(s),
		"snapshot_id":               awsclient.StringOrNull(s.SnapshotId),
		"volume_id":                 awsclient.StringOrNull(s.VolumeId),
		"state":                     state,
		"state_message":             awsclient.StringOrNull(s.StateMessage),
		"progress":                  awsclient.StringOrNull(s.Progress),
		"description":               awsclient.StringOrNull(s.Description),
		"owner_alias":               awsclient.StringOrNull(s.OwnerAlias),
		"kms_key_id":                awsclient.StringOrNull(s.KmsKeyId),
		"data_encryption_key_id":    awsclient.StringOrNull(s.DataEncryptionKeyId),
		"ownerId":                   awsclient.StringOrNull(s.OwnerId),
		"start_time":                awsclient.PyStr(s.StartTime),
		"volume_size":               size,
		"tags":                      tags,
		"encrypted":                 aws.ToBool(s.Encrypted),
	}
}
