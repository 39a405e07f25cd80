package awssim

import (
	"strconv"
)

// Flow logs: the technology flowlog and DescribeFlowLogs (up to 1,000 a
// page). Flow log j watches VPC j (same index, same region) — except, below
// 50, when j%3 != 0: it then watches subnet j, so VPCs 1, 2, 4, 5… have no
// flow log (VPCAuditor: "Flow Logs not enabled for VPC"). Its status is
// ACTIVE except when j%6 == 3 below 50 (a VPC whose flow log is not
// active). j%4 == 3 delivers to S3 (no log group), the others to
// CloudWatch Logs.

const techFlowLog = "flowlog"

func flowLogResource() resource {
	return resource{
		tech: techFlowLog,
		arn: func(s *Server, a *account, j int) string {
			return "arn:aws:ec2:" + s.itemRegion(j) + ":" + a.id + ":vpc-flow-log/" + s.flowLogID(a, j)
		},
		mutates: "the delivery role becomes sim-flow-logs-role-g (g: the mutation generation)",
	}
}

func (s *Server) flowLogID(a *account, j int) string {
	return s.resourceID("fl-", 17, hexDigits, "flowlog/id", a, j)
}

func flowLogOnVPC(j int) bool { return bulkBenign(j) || j%3 == 0 }

func (s *Server) describeFlowLogs(req *request) (result, *apiError) {
	return s.ec2RegionList(req, techFlowLog, "fl", "flowLogSet", 1000, 800, s.writeFlowLog)
}

func (s *Server) writeFlowLog(x *xw, a *account, j int, region string, gen int) {
	resource := s.vpcItemID(a, j)
	if !flowLogOnVPC(j) {
		resource = s.subnetItemID(a, j)
	}
	status := "ACTIVE"
	if !bulkBenign(j) && j%6 == 3 {
		status = "INACTIVE"
	}
	toS3 := !bulkBenign(j) && j%4 == 3
	x.open("item")
	x.elemTime("creationTime", s.created(techFlowLog, j))
	x.elem("deliverLogsStatus", "SUCCESS")
	x.elem("flowLogId", s.flowLogID(a, j))
	x.elem("flowLogStatus", status)
	x.elem("resourceId", resource)
	x.elem("trafficType", [...]string{"ALL", "REJECT", "ACCEPT"}[j%3])
	role := "arn:aws:iam::" + a.id + ":role/sim-flow-logs-role"
	if gen > 0 {
		role += "-" + strconv.Itoa(gen)
	}
	if toS3 {
		if gen > 0 {
			x.elem("deliverLogsPermissionArn", role)
		}
		x.elem("logDestinationType", "s3")
		x.elem("logDestination", "arn:aws:s3:::sim-flow-logs-"+a.id)
	} else {
		x.elem("deliverLogsPermissionArn", role)
		x.elem("logDestinationType", "cloud-watch-logs")
		x.elem("logGroupName", "sim-flow-logs-"+strconv.Itoa(j))
		x.elem("logDestination", "arn:aws:logs:"+region+":"+a.id+":log-group:sim-flow-logs-"+strconv.Itoa(j))
	}
	x.elem("logFormat", "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}")
	x.raw("<tagSet/>")
	x.elemInt("maxAggregationInterval", 600)
	x.close("item")
}
