package awssim

import (
	"net/http"
	"strconv"
	"time"
)

// rdssnapshot: DB snapshots (DescribeDBSnapshots,
// DescribeDBSnapshotAttributes) and rdsclustersnapshot: cluster snapshots
// (DescribeDBClusterSnapshots). DB snapshot i is of DB instance i; its
// variant (rdsVariant(i, 6)) decides its type and whom its "restore"
// attribute shares it with:
//
//	0 automated (benign; bulk): never shared
//	1 manual, public ("all")
//	2 manual, shared with the next simulated account
//	3 manual, shared with an unknown account (unknownAccount, iam_data.go)
//	4 manual, shared with an AWS-owned account (third party, awsOwnedAccount)
//	5 manual, private
//
// Cluster snapshot i is of cluster i, automated when i is even. Mutations
// grow AllocatedStorage by 10 GiB.

func dbSnapshotAutomated(i int) bool { return rdsVariant(i, 6) == 0 }

func dbSnapshotID(i int) string {
	if dbSnapshotAutomated(i) {
		return "rds:sim-snap-auto-" + strconv.Itoa(i)
	}
	return "sim-snap-" + [...]string{"", "public", "friend", "unknown", "vendor", "private"}[rdsVariant(i, 6)] + "-" + strconv.Itoa(i)
}

// dbSnapshotShares is the "restore" attribute of snapshot i.
func (s *Server) dbSnapshotShares(a *account, i int) []string {
	switch rdsVariant(i, 6) {
	case 1:
		return []string{"all"}
	case 2:
		return []string{s.nextAccount(a).id}
	case 3:
		return []string{unknownAccount}
	case 4:
		return []string{awsOwnedAccount}
	}
	return nil
}

func (s *Server) describeDBSnapshots(req *request) (result, *apiError) {
	return s.rdsList(req, techDBSnapshot, "DBSnapshots", 1500, s.writeDBSnapshot)
}

func (s *Server) writeDBSnapshot(x *xw, a *account, i, region, gen int) {
	v := rdsVariant(i, 6)
	id := dbSnapshotID(i)
	rname := s.opts.Regions[region]
	engine, version, port := dbEngine(v)
	typ := "manual"
	if dbSnapshotAutomated(i) {
		typ = "automated"
	}
	x.open("DBSnapshot")
	x.elem("DBSnapshotIdentifier", id)
	x.elem("DBInstanceIdentifier", dbInstanceID(i))
	x.elemTime("SnapshotCreateTime", s.created(techDBSnapshot, i))
	x.elem("Engine", engine)
	x.elemInt("AllocatedStorage", 20+10*gen)
	x.elem("Status", "available")
	x.elemInt("Port", port)
	x.elem("AvailabilityZone", rname+"a")
	x.elem("VpcId", s.vpcID(a.idx, region))
	x.elemTime("InstanceCreateTime", s.created(techDBInstance, i))
	x.elem("MasterUsername", "admin")
	x.elem("EngineVersion", version)
	x.elem("LicenseModel", "general-public-license")
	x.elem("SnapshotType", typ)
	x.elem("OptionGroupName", "default:"+engine)
	x.elemInt("PercentProgress", 100)
	x.elem("StorageType", "gp3")
	x.elemBool("Encrypted", v == 5)
	if v == 5 {
		x.elem("KmsKeyId", "arn:aws:kms:"+rname+":"+a.id+":key/"+s.resourceID("", 32, hexDigits, "rdssnapshot/kms", a, i))
	}
	x.elem("DBSnapshotArn", "arn:aws:rds:"+rname+":"+a.id+":snapshot:"+id)
	x.elemBool("IAMDatabaseAuthenticationEnabled", false)
	x.elem("DbiResourceId", s.resourceID("db-", 26, b32Digits, "rdsdbinstance/resource", a, i))
	writeRDSTags(x, nil)
	x.elem("SnapshotTarget", "region")
	x.elemTime("OriginalSnapshotCreateTime", s.created(techDBSnapshot, i))
	x.close("DBSnapshot")
}

func (s *Server) describeDBSnapshotAttributes(req *request) (result, *apiError) {
	id := req.form.Get("DBSnapshotIdentifier")
	i, ok := s.itemByName(req, techDBSnapshot, id, dbSnapshotID)
	if !ok {
		return result{}, errf(http.StatusNotFound, "DBSnapshotNotFound", "DBSnapshot %s not found.", id)
	}
	x := newXW()
	x.open("DBSnapshotAttributesResult")
	x.elem("DBSnapshotIdentifier", id)
	x.open("DBSnapshotAttributes")
	x.open("DBSnapshotAttribute")
	x.elem("AttributeName", "restore")
	x.open("AttributeValues")
	for _, v := range s.dbSnapshotShares(req.acct, i) {
		x.elem("AttributeValue", v)
	}
	x.close("AttributeValues")
	x.close("DBSnapshotAttribute")
	x.close("DBSnapshotAttributes")
	x.close("DBSnapshotAttributesResult")
	return xmlResult(x), nil
}

func clusterSnapshotAutomated(i int) bool { return i%2 == 0 }

func clusterSnapshotID(i int) string {
	if clusterSnapshotAutomated(i) {
		return "rds:sim-cluster-snap-" + strconv.Itoa(i)
	}
	return "sim-cluster-snap-" + strconv.Itoa(i)
}

func (s *Server) describeDBClusterSnapshots(req *request) (result, *apiError) {
	return s.rdsList(req, techClusterSnapshot, "DBClusterSnapshots", 1200, s.writeDBClusterSnapshot)
}

func (s *Server) writeDBClusterSnapshot(x *xw, a *account, i, region, gen int) {
	v := rdsVariant(i, 6)
	id := clusterSnapshotID(i)
	rname := s.opts.Regions[region]
	engine, version, port := dbClusterEngine(v)
	typ := "manual"
	if clusterSnapshotAutomated(i) {
		typ = "automated"
	}
	encrypted := i%3 == 0
	x.open("DBClusterSnapshot")
	x.open("AvailabilityZones")
	for _, az := range []string{"a", "b", "c"} {
		x.elem("AvailabilityZone", rname+az)
	}
	x.close("AvailabilityZones")
	x.elem("DBClusterSnapshotIdentifier", id)
	x.elem("DBClusterIdentifier", dbClusterID(i))
	x.elemTime("SnapshotCreateTime", s.created(techClusterSnapshot, i))
	x.elem("Engine", engine)
	x.elem("EngineMode", "provisioned")
	x.elemInt("AllocatedStorage", 10*gen)
	x.elem("Status", "available")
	x.elemInt("Port", port)
	x.elem("VpcId", s.vpcID(a.idx, region))
	x.elemTime("ClusterCreateTime", s.created(techDBCluster, i).Add(-time.Hour))
	x.elem("MasterUsername", "admin")
	x.elem("EngineVersion", version)
	x.elem("LicenseModel", engine)
	x.elem("SnapshotType", typ)
	x.elemInt("PercentProgress", 100)
	x.elemBool("StorageEncrypted", encrypted)
	if encrypted {
		x.elem("KmsKeyId", "arn:aws:kms:"+rname+":"+a.id+":key/"+s.resourceID("", 32, hexDigits, "rdsdbcluster/kms", a, i))
	}
	x.elem("DBClusterSnapshotArn", "arn:aws:rds:"+rname+":"+a.id+":cluster-snapshot:"+id)
	x.elemBool("IAMDatabaseAuthenticationEnabled", false)
	writeRDSTags(x, nil)
	x.elem("DbClusterResourceId", s.resourceID("cluster-", 26, b32Digits, "rdsdbcluster/resource", a, i))
	x.close("DBClusterSnapshot")
}
