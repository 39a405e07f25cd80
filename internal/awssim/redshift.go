package awssim

import (
	"net/http"
	"strconv"
)

const redshiftNS = "http://redshift.amazonaws.com/doc/2012-12-01/"

// Redshift: DescribeClusters and the technology redshift. awsQuery;
// regional, paged with MaxRecords (20..100, default 100) and Marker.
//
// Cluster i lives in Regions[i % len(Regions)]. Variants (i%4 for the
// first 50 indices and every 20th after them, 0 otherwise): 0 a private,
// encrypted VPC cluster; 1 a publicly accessible, unencrypted VPC cluster
// with an elastic IP; 2 a VPC cluster restored from a snapshot
// (RestoreStatus) with an IAM role; 3 an EC2-Classic cluster (no VpcId, a
// cluster security group). Mutations raise AutomatedSnapshotRetentionPeriod.

const techRedshift = "redshift"

func redshiftService() *service {
	return &service{
		name:     "redshift",
		protocol: awsQuery{xmlns: redshiftNS},
		ops: map[string]operation{
			"DescribeClusters": {handle: (*Server).describeClusters},
		},
		throttle: errorShape{http.StatusBadRequest, "Throttling", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDenied", "User is not authorized to perform: redshift:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "Could not find operation {op} for version 2012-12-01"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}),
		resources: []resource{{
			tech:        techRedshift,
			createdHour: 78,
			arn: func(s *Server, a *account, i int) string {
				return "arn:aws:redshift:" + s.itemRegion(i) + ":" + a.id + ":cluster:" + redshiftClusterID(i)
			},
			mutates: "AutomatedSnapshotRetentionPeriod grows by one day",
		}},
	}
}

func redshiftClusterID(i int) string { return "sim-cluster-" + strconv.Itoa(i) }

// redshiftVariant is the variant of cluster i (see the file comment).
func redshiftVariant(i int) int {
	if bulkBenign(i) {
		return 0
	}
	return i % 4
}

func (s *Server) describeClusters(req *request) (result, *apiError) {
	a := req.acct
	v := req.form.Get("MaxRecords")
	max, ok := pageSize(v, 100, 100)
	if !ok || max < 20 {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Invalid value %s for MaxRecords. Must be between 20 and 100", v)
	}
	ts := a.tech(techRedshift)
	r := s.regionIndex(req.region)
	if id := req.form.Get("ClusterIdentifier"); id != "" {
		i, found := s.itemIndex(req, techRedshift, id, redshiftClusterID)
		if !found {
			return result{}, errf(http.StatusBadRequest, "ClusterNotFound", "Cluster %s not found.", id)
		}
		x := newXWSize(2048)
		x.open("Clusters")
		s.writeCluster(x, a, i, r, ts.generation(i))
		x.close("Clusters")
		return xmlResult(x), nil
	}
	tok := req.form.Get("Marker")
	start, ok := pageStart(tok, techRedshift)
	if !ok {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Invalid marker: %s", tok)
	}
	x := newXWSize(max * 2048)
	x.open("Clusters")
	count := 0
	next, more := s.regionItems(ts, r, start, nil, func(i int) bool {
		if count == max {
			return false
		}
		s.writeCluster(x, a, i, r, ts.generation(i))
		count++
		return true
	})
	x.close("Clusters")
	if more {
		x.elem("Marker", pageToken(techRedshift, next))
	}
	return xmlResult(x), nil
}

func (s *Server) writeCluster(x *xw, a *account, i, region, gen int) {
	rname := s.opts.Regions[region]
	id := redshiftClusterID(i)
	variant := redshiftVariant(i)
	vpc := variant != 3
	public := variant == 1
	x.open("Cluster")
	x.elem("ClusterIdentifier", id)
	x.elem("NodeType", [...]string{"ra3.xlplus", "dc2.large"}[i%2])
	x.elem("ClusterStatus", "available")
	x.elem("MasterUsername", "admin")
	x.elem("DBName", "dev")
	x.open("Endpoint")
	x.elem("Address", id+"."+idString(s.h(salt("redshift/endpoint"), uint64(a.idx)), 12, "abcdefghijklmnopqrstuvwxyz0123456789")+"."+rname+".redshift.amazonaws.com")
	x.elemInt("Port", 5439)
	x.close("Endpoint")
	x.elemTime("ClusterCreateTime", s.created(techRedshift, i))
	x.elemInt("AutomatedSnapshotRetentionPeriod", 1+gen)
	x.open("ClusterSecurityGroups")
	if !vpc {
		x.open("ClusterSecurityGroup")
		x.elem("ClusterSecurityGroupName", "default")
		x.elem("Status", "active")
		x.close("ClusterSecurityGroup")
	}
	x.close("ClusterSecurityGroups")
	x.open("VpcSecurityGroups")
	if vpc {
		x.open("VpcSecurityGroup")
		x.elem("VpcSecurityGroupId", s.sgID(a.idx, i))
		x.elem("Status", "active")
		x.close("VpcSecurityGroup")
	}
	x.close("VpcSecurityGroups")
	x.open("ClusterParameterGroups")
	x.open("ClusterParameterGroup")
	x.elem("ParameterGroupName", "default.redshift-1.0")
	x.elem("ParameterApplyStatus", "in-sync")
	x.open("ClusterParameterStatusList")
	x.open("member")
	x.elem("ParameterName", "enable_user_activity_logging")
	x.elem("ParameterApplyStatus", "in-sync")
	x.close("member")
	x.close("ClusterParameterStatusList")
	x.close("ClusterParameterGroup")
	x.close("ClusterParameterGroups")
	if vpc {
		x.elem("ClusterSubnetGroupName", "default")
		x.elem("VpcId", s.vpcID(a.idx, region))
	}
	x.elem("AvailabilityZone", rname+"a")
	x.elem("PreferredMaintenanceWindow", "sat:05:00-sat:05:30")
	x.raw("<PendingModifiedValues></PendingModifiedValues>")
	x.elem("ClusterVersion", "1.0")
	x.elemBool("AllowVersionUpgrade", true)
	x.elemInt("NumberOfNodes", 2)
	x.elemBool("PubliclyAccessible", public)
	encrypted := variant == 0 || variant == 2
	x.elemBool("Encrypted", encrypted)
	if variant == 2 {
		x.open("RestoreStatus")
		x.elem("Status", "completed")
		x.elem("CurrentRestoreRateInMegaBytesPerSecond", "12.5")
		x.elemInt("SnapshotSizeInMegaBytes", 2048)
		x.elemInt("ProgressInMegaBytes", 2048)
		x.elemInt("ElapsedTimeInSeconds", 164)
		x.elemInt("EstimatedTimeToCompletionInSeconds", 0)
		x.close("RestoreStatus")
	}
	if public {
		x.open("ElasticIpStatus")
		x.elem("ElasticIp", "52.95."+strconv.Itoa(a.idx%250)+"."+strconv.Itoa(i%250))
		x.elem("Status", "active")
		x.close("ElasticIpStatus")
	}
	x.open("ClusterNodes")
	x.open("member")
	x.elem("NodeRole", "SHARED")
	x.elem("PrivateIPAddress", "10."+strconv.Itoa(region)+"."+strconv.Itoa(i/250%250)+"."+strconv.Itoa(i%250))
	if public {
		x.elem("PublicIPAddress", "52.95."+strconv.Itoa(a.idx%250)+"."+strconv.Itoa(i%250))
	}
	x.close("member")
	x.close("ClusterNodes")
	x.elem("ClusterRevisionNumber", "54899")
	writeTagList(x, "Tags", "Tag", "Key", "Value", simTags(id, i))
	if encrypted {
		x.elem("KmsKeyId", "arn:aws:kms:"+rname+":"+a.id+":key/"+s.resourceID("", 8, hexDigits, "redshift/kms", a, i))
	}
	x.elemBool("EnhancedVpcRouting", false)
	x.open("IamRoles")
	if variant == 2 {
		x.open("ClusterIamRole")
		x.elem("IamRoleArn", "arn:aws:iam::"+a.id+":role/sim-redshift-loader")
		x.elem("ApplyStatus", "in-sync")
		x.close("ClusterIamRole")
	}
	x.close("IamRoles")
	x.close("Cluster")
}
