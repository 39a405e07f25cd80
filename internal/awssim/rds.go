package awssim

import (
	"net/http"
)

const rdsNS = "http://rds.amazonaws.com/doc/2014-10-31/"

// RDS: the technologies rdsdbinstance, rdsdbcluster, rdssecuritygroup,
// rdssnapshot, rdsclustersnapshot and rdssubnetgroup, each in its own file
// (rds_<technology>.go). awsQuery. Every listing is regional and paged
// with MaxRecords (20..100, default 100) and Marker. Databases and load
// balancers use the security groups of ec2.go: item i of a technology
// uses security group i, which lives in the same region.

const (
	techDBInstance      = "rdsdbinstance"
	techDBCluster       = "rdsdbcluster"
	techDBSecurityGroup = "rdssecuritygroup"
	techDBSnapshot      = "rdssnapshot"
	techClusterSnapshot = "rdsclustersnapshot"
	techDBSubnetGroup   = "rdssubnetgroup"
)

func rdsService() *service {
	return &service{
		name:     "rds",
		protocol: awsQuery{xmlns: rdsNS},
		ops: map[string]operation{
			"DescribeDBInstances":          {handle: (*Server).describeDBInstances},
			"DescribeDBClusters":           {handle: (*Server).describeDBClusters},
			"DescribeDBSecurityGroups":     {handle: (*Server).describeDBSecurityGroups},
			"DescribeDBSnapshots":          {handle: (*Server).describeDBSnapshots},
			"DescribeDBSnapshotAttributes": {handle: (*Server).describeDBSnapshotAttributes},
			"DescribeDBClusterSnapshots":   {handle: (*Server).describeDBClusterSnapshots},
			"DescribeDBSubnetGroups":       {handle: (*Server).describeDBSubnetGroups},
		},
		throttle: errorShape{http.StatusBadRequest, "Throttling", "Rate exceeded"},
		denied:   errorShape{http.StatusForbidden, "AccessDenied", "User is not authorized to perform: rds:{op}"},
		unknown:  errorShape{http.StatusBadRequest, "InvalidAction", "Could not find operation {op} for version 2014-10-31"},
		check: enabledRegion(
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."},
			errorShape{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}),
		resources: []resource{
			{tech: techDBInstance, arn: rdsARN("db", dbInstanceID),
				mutates: "AllocatedStorage grows by 10 GiB"},
			{tech: techDBCluster, arn: rdsARN("cluster", dbClusterID),
				mutates: "BackupRetentionPeriod grows by one day"},
			{tech: techDBSecurityGroup, arn: rdsARN("secgrp", dbSecurityGroupName),
				mutates: "one more IP range: 203.0.113.<g>/32 (g: the mutation generation)"},
			{tech: techDBSnapshot, arn: rdsARN("snapshot", dbSnapshotID),
				mutates: "AllocatedStorage grows by 10 GiB"},
			{tech: techClusterSnapshot, arn: rdsARN("cluster-snapshot", clusterSnapshotID),
				mutates: "AllocatedStorage grows by 10 GiB"},
			{tech: techDBSubnetGroup, arn: rdsARN("subgrp", dbSubnetGroupName),
				mutates: `description "simulated subnet group, revision <g>"`},
		},
	}
}

// rdsARN is the ARN function of an RDS technology whose item i is named
// name(i): arn:aws:rds:<region>:<account>:<kind>:<name>.
func rdsARN(kind string, name func(int) string) func(s *Server, a *account, i int) string {
	return func(s *Server, a *account, i int) string {
		return "arn:aws:rds:" + s.itemRegion(i) + ":" + a.id + ":" + kind + ":" + name(i)
	}
}

// rdsVariant is the variant of item i among n: i % n for the first 50
// indices and every 20th after them, 0 (the benign variant) otherwise.
func rdsVariant(i, n int) int {
	if bulkBenign(i) {
		return 0
	}
	return i % n
}

// rdsList answers a regional, paged RDS listing of technology tech:
// <list><member>…</member>…</list> and a Marker when more remain. write
// renders item i (its member element included).
func (s *Server) rdsList(req *request, tech, list string, perItem int, write func(x *xw, a *account, i, region, gen int)) (result, *apiError) {
	a := req.acct
	v := req.form.Get("MaxRecords")
	max, ok := pageSize(v, 100, 100)
	if !ok || max < 20 {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Invalid value %s for MaxRecords. Must be between 20 and 100", v)
	}
	tok := req.form.Get("Marker")
	start, ok := pageStart(tok, tech)
	if !ok {
		return result{}, errf(http.StatusBadRequest, "InvalidParameterValue", "Invalid marker: %s", tok)
	}
	r := s.regionIndex(req.region)
	ts := a.tech(tech)
	x := newXWSize(max * perItem)
	x.open(list)
	count := 0
	next, more := s.regionItems(ts, r, start, nil, func(i int) bool {
		if count == max {
			return false
		}
		write(x, a, i, r, ts.generation(i))
		count++
		return true
	})
	x.close(list)
	if more {
		x.elem("Marker", pageToken(tech, next))
	}
	return xmlResult(x), nil
}

// rdsHost is the DNS name of an RDS endpoint.
func (s *Server) rdsHost(a *account, id string, region int) string {
	return id + "." + idString(s.h(salt("rds/endpoint"), uint64(a.idx)), 12, "abcdefghijklmnopqrstuvwxyz0123456789") +
		"." + s.opts.Regions[region] + ".rds.amazonaws.com"
}

func writeRDSTags(x *xw, tags []tag) { writeTagList(x, "TagList", "Tag", "Key", "Value", tags) }
