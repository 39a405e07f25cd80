// Package all lists every implemented technology plugin, alphabetically by
// index. It is the only place that knows them all.
package all

import (
	"github.com/secmonkey/monkey/internal/tech"
	"github.com/secmonkey/monkey/internal/tech/acm"
	"github.com/secmonkey/monkey/internal/tech/alb"
	"github.com/secmonkey/monkey/internal/tech/apigateway"
	"github.com/secmonkey/monkey/internal/tech/backupvault"
	"github.com/secmonkey/monkey/internal/tech/cloudtrail"
	"github.com/secmonkey/monkey/internal/tech/codeartifactrepository"
	awsconfig "github.com/secmonkey/monkey/internal/tech/config"
	"github.com/secmonkey/monkey/internal/tech/configrecorder"
	"github.com/secmonkey/monkey/internal/tech/connection"
	"github.com/secmonkey/monkey/internal/tech/dhcp"
	"github.com/secmonkey/monkey/internal/tech/ebssnapshot"
	"github.com/secmonkey/monkey/internal/tech/ebsvolume"
	"github.com/secmonkey/monkey/internal/tech/ec2image"
	"github.com/secmonkey/monkey/internal/tech/ec2instance"
	"github.com/secmonkey/monkey/internal/tech/ecrrepository"
	"github.com/secmonkey/monkey/internal/tech/efs"
	"github.com/secmonkey/monkey/internal/tech/elasticip"
	"github.com/secmonkey/monkey/internal/tech/elasticsearchservice"
	"github.com/secmonkey/monkey/internal/tech/elb"
	"github.com/secmonkey/monkey/internal/tech/endpoint"
	"github.com/secmonkey/monkey/internal/tech/eventbus"
	"github.com/secmonkey/monkey/internal/tech/flowlog"
	"github.com/secmonkey/monkey/internal/tech/glacier"
	"github.com/secmonkey/monkey/internal/tech/iamgroup"
	"github.com/secmonkey/monkey/internal/tech/iamrole"
	"github.com/secmonkey/monkey/internal/tech/iamssl"
	"github.com/secmonkey/monkey/internal/tech/iamuser"
	"github.com/secmonkey/monkey/internal/tech/keypair"
	"github.com/secmonkey/monkey/internal/tech/kms"
	"github.com/secmonkey/monkey/internal/tech/lambda"
	"github.com/secmonkey/monkey/internal/tech/natgateway"
	"github.com/secmonkey/monkey/internal/tech/networkacl"
	"github.com/secmonkey/monkey/internal/tech/networkinterface"
	"github.com/secmonkey/monkey/internal/tech/peering"
	iampolicy "github.com/secmonkey/monkey/internal/tech/policy"
	"github.com/secmonkey/monkey/internal/tech/rdsclustersnapshot"
	"github.com/secmonkey/monkey/internal/tech/rdsdbcluster"
	"github.com/secmonkey/monkey/internal/tech/rdsdbinstance"
	"github.com/secmonkey/monkey/internal/tech/rdssecuritygroup"
	"github.com/secmonkey/monkey/internal/tech/rdssnapshot"
	"github.com/secmonkey/monkey/internal/tech/rdssubnetgroup"
	"github.com/secmonkey/monkey/internal/tech/redshift"
	"github.com/secmonkey/monkey/internal/tech/route53"
	"github.com/secmonkey/monkey/internal/tech/route53domains"
	"github.com/secmonkey/monkey/internal/tech/routetable"
	"github.com/secmonkey/monkey/internal/tech/s3"
	"github.com/secmonkey/monkey/internal/tech/samlprovider"
	"github.com/secmonkey/monkey/internal/tech/secretsmanager"
	"github.com/secmonkey/monkey/internal/tech/securitygroup"
	"github.com/secmonkey/monkey/internal/tech/ses"
	"github.com/secmonkey/monkey/internal/tech/sns"
	"github.com/secmonkey/monkey/internal/tech/sqs"
	"github.com/secmonkey/monkey/internal/tech/subnet"
	virtualgateway "github.com/secmonkey/monkey/internal/tech/virtual_gateway"
	"github.com/secmonkey/monkey/internal/tech/vpc"
	"github.com/secmonkey/monkey/internal/tech/vpn"
)

// Plugins returns every technology plugin, sorted by index.
func Plugins() []tech.Plugin {
	return []tech.Plugin{
		acm.Plugin(),
		alb.Plugin(),
		apigateway.Plugin(),
		backupvault.Plugin(),
		cloudtrail.Plugin(),
		codeartifactrepository.Plugin(),
		awsconfig.Plugin(),
		configrecorder.Plugin(),
		connection.Plugin(),
		dhcp.Plugin(),
		ebssnapshot.Plugin(),
		ebsvolume.Plugin(),
		ec2image.Plugin(),
		ec2instance.Plugin(),
		ecrrepository.Plugin(),
		efs.Plugin(),
		elasticip.Plugin(),
		elasticsearchservice.Plugin(),
		elb.Plugin(),
		endpoint.Plugin(),
		eventbus.Plugin(),
		flowlog.Plugin(),
		glacier.Plugin(),
		iamgroup.Plugin(),
		iamrole.Plugin(),
		iamssl.Plugin(),
		iamuser.Plugin(),
		keypair.Plugin(),
		kms.Plugin(),
		lambda.Plugin(),
		natgateway.Plugin(),
		networkacl.Plugin(),
		networkinterface.Plugin(),
		peering.Plugin(),
		iampolicy.Plugin(),
		rdsclustersnapshot.Plugin(),
		rdsdbcluster.Plugin(),
		rdsdbinstance.Plugin(),
		rdssecuritygroup.Plugin(),
		rdssnapshot.Plugin(),
		rdssubnetgroup.Plugin(),
		redshift.Plugin(),
		route53.Plugin(),
		route53domains.Plugin(),
		routetable.Plugin(),
		s3.Plugin(),
		samlprovider.Plugin(),
		secretsmanager.Plugin(),
		securitygroup.Plugin(),
		ses.Plugin(),
		sns.Plugin(),
		sqs.Plugin(),
		subnet.Plugin(),
		virtualgateway.Plugin(),
		vpc.Plugin(),
		vpn.Plugin(),
	}
}
