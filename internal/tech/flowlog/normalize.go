package flowlog

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// itemName is "<LogGroupName> (<FlowLogId>)"; a flow log delivering to S3
// or Firehose has no log group and renders "None", as the reference did.
func itemName(f *types.FlowLog) string {
	group := aws.ToString(f.LogGroupName)
	if group == "" {
		group = "None"
	}
	return group + " (" + aws.ToString(f.FlowLogId) + ")"
}

// normalize builds the stored config (technologies.md A.33).
func normalize(f *types.FlowLog, _ string) monkey.Config {
	return monkey.Config{
		"creation_time":               awsclient.PyStr(f.CreationTime),
		"deliver_logs_permission_arn": awsclient.StringOrNull(f.DeliverLogsPermissionArn),
		"flow_log_id":                 aws.ToString(f.FlowLogId),
		"flow_log_status":             awsclient.StringOrNull(f.FlowLogStatus),
		"log_group_name":              awsclient.StringOrNull(f.LogGroupName),
		"resource_id":                 awsclient.StringOrNull(f.ResourceId),
		"traffic_type":                awsclient.EnumOrNull(f.TrafficType),
	}
}
