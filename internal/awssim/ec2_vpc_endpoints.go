package awssim

import (
	"strconv"
	"strings"
)

// VPC endpoints: the technology endpoint and DescribeVpcEndpoints (up to
// 1,000 a page). Endpoint k belongs to VPC vpcMember(k). Even endpoints are
// gateway endpoints (S3 when k%4 == 0, DynamoDB otherwise) on route table
// k; odd ones interface endpoints (execute-api, ssm). Policies: allow
// everything to everyone (k%4 == 0 and interface endpoints), one bucket
// (k%4 == 2), none at all for k%5 == 4 below 50.

const techEndpoint = "endpoint"

func endpointResource() resource {
	return resource{
		tech: techEndpoint,
		arn: func(s *Server, a *account, k int) string {
			return "arn:aws:ec2:" + s.itemRegion(k) + ":" + a.id + ":vpc-endpoint/" + s.endpointID(a, k)
		},
		mutates: `one more policy statement "sim-mutation-g" (g: the mutation generation)`,
	}
}

func (s *Server) endpointID(a *account, k int) string {
	return s.resourceID("vpce-", 17, hexDigits, "endpoint/id", a, k)
}

func (s *Server) describeVpcEndpoints(req *request) (result, *apiError) {
	return s.ec2RegionList(req, techEndpoint, "vpce", "vpcEndpointSet", 1000, 1100, s.writeEndpoint)
}

func endpointPolicy(k, gen int) string {
	var stmts []string
	switch {
	case !bulkBenign(k) && k%5 == 4:
	case k%4 == 2:
		stmts = []string{`{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::sim-bucket-` + strconv.Itoa(k) + `/*"}`}
	default:
		stmts = []string{`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`}
	}
	for g := 1; g <= gen; g++ {
		stmts = append(stmts, `{"Sid":"sim-mutation-`+strconv.Itoa(g)+`","Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"*"}`)
	}
	if len(stmts) == 0 {
		return ""
	}
	return `{"Version":"2008-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

func (s *Server) writeEndpoint(x *xw, a *account, k int, region string, gen int) {
	gateway := k%2 == 0
	service := [...]string{"execute-api", "ssm"}[(k/2)%2]
	if gateway {
		service = "dynamodb"
		if k%4 == 0 {
			service = "s3"
		}
	}
	x.open("item")
	x.elem("vpcEndpointId", s.endpointID(a, k))
	if gateway {
		x.elem("vpcEndpointType", "Gateway")
	} else {
		x.elem("vpcEndpointType", "Interface")
	}
	x.elem("vpcId", s.vpcItemID(a, s.vpcMember(k)))
	x.elem("serviceName", "com.amazonaws."+region+"."+service)
	x.elem("state", "available")
	x.elemOpt("policyDocument", endpointPolicy(k, gen))
	x.open("routeTableIdSet")
	if gateway {
		x.elem("item", s.routeTableID(a, k))
	}
	x.close("routeTableIdSet")
	x.open("subnetIdSet")
	if !gateway {
		x.elem("item", s.subnetItemID(a, s.vpcMember(k)))
	}
	x.close("subnetIdSet")
	x.elemBool("privateDnsEnabled", !gateway)
	x.elemBool("requesterManaged", false)
	x.elemTime("creationTimestamp", s.created(techEndpoint, k))
	x.raw("<tagSet/>")
	x.elem("ownerId", a.id)
	x.close("item")
}
