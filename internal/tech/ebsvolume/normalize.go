package ebsvolume

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is "<Name tag> (<VolumeId>)", or the volume id when it has no
// (or an empty) Name tag.
func itemName(v *types.Volume) string {
	id := aws.ToString(v.VolumeId)
	if name, _ := awsclient.EC2NameTag(v.Tags); name != "" {
		return name + " (" + id + ")"
	}
	return id
}

// normalize builds the stored config (technologies.md A.22).
func normalize(v *types.Volume) monkey.Config {
	attachments := make([]any, len(v.Attachments))
	for i, a := range v.Attachments {
		attachments[i] = map[string]any{
			"attach_time":           awsclient.PyStr(a.AttachTime),
			"instance_id":           awsclient.StringOrNull(a.InstanceId),
			"volume_id":             awsclient.StringOrNull(a.VolumeId),
			"state":                 enum(string(a.State)),
			"delete_on_termination": aws.ToBool(a.DeleteOnTermination),
			"device":                awsclient.StringOrNull(a.Device),
		}
	}
	var size any
	if v.Size != nil {
		size = int(*v.Size)
	}
	return monkey.Config{
		"name":              itemName(v),
		"volume_id":         awsclient.StringOrNull(v.VolumeId),
		"volume_type":       enum(string(v.VolumeType)),
		"snapshot_id":       awsclient.StringOrNull(v.SnapshotId),
		"availability_zone": awsclient.StringOrNull(v.AvailabilityZone),
		"state":             enum(string(v.State)),
		"size":              size,
		"create_time":       awsclient.PyStr(v.CreateTime),
		"encrypted":         aws.ToBool(v.Encrypted),
		"attachments":       attachments,
	}
}

// enum renders an SDK enum value, null when the API gave none.
func enum(s string) any {
	if s == "" {
		return nil
	}
	return s
}
