package keypair

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/secmonkey/monkey/internal/monkey"
)

// keyARN is arn:<partition>:ec2:<region>:<account>:key-pair/<KeyName>.
func keyARN(partition, region, account, name string) string {
	return "arn:" + partition + ":ec2:" + region + ":" + account + ":key-pair/" + name
}

// normalize builds the stored config (technologies.md A.25).
func normalize(k *types.KeyPairInfo, arn string) monkey.Config {
	return monkey.Config{
		"fingerprint": aws.ToString(k.KeyFingerprint),
		"arn":         arn,
		"name":        aws.ToString(k.KeyName),
	}
}
