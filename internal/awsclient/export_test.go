package awsclient_test

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	ec2t "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func ec2types(name, status string) ec2t.Region {
	return ec2t.Region{RegionName: aws.String(name), OptInStatus: aws.String(status)}
}
