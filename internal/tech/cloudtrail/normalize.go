package cloudtrail

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored config (technologies.md A.46) of a trail and
// its GetTrailStatus IsLogging.
func normalize(t *types.Trail, logging bool) monkey.Config {
	return monkey.Config{
		"trail":                         aws.ToString(t.Name),
		"trail_status":                  logging,
		"s3_bucket_name":                awsclient.StringOrNull(t.S3BucketName),
		"s3_key_prefix":                 awsclient.StringOrNull(t.S3KeyPrefix),
		"sns_topic_name":                awsclient.StringOrNull(t.SnsTopicName), //nolint:staticcheck // deprecated by AWS, still in the reference's stored shape
		"home_region":                   awsclient.StringOrNull(t.HomeRegion),
		"trail_arn":                     awsclient.StringOrNull(t.TrailARN),
		"cloudwatch_logs_log_group_arn": awsclient.StringOrNull(t.CloudWatchLogsLogGroupArn),
		"cloudwatch_logs_role_arn":      awsclient.StringOrNull(t.CloudWatchLogsRoleArn),
		"kms_key_id":                    awsclient.StringOrNull(t.KmsKeyId),
		"include_global_service_events": aws.ToBool(t.IncludeGlobalServiceEvents),
		"is_multi_region_trail":         aws.ToBool(t.IsMultiRegionTrail),
		"log_file_validation_enabled":   aws.ToBool(t.LogFileValidationEnabled),
	}
}
