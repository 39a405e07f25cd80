package awssim

import (
	"strconv"
)

// rdsdbcluster: Aurora DB clusters (DescribeDBClusters). Cluster i uses the
// security group i of ec2.go (same region) and the subnet group i.
// Variants (rdsVariant(i, 6)), aligned with the security-group kinds:
//
//	0 aurora-postgresql 5432 behind ssh-open (benign; bulk)
//	1 aurora-mysql 3306 behind web-ipv6: no listener match
//	2 aurora-mysql 3306 behind db-private: the linked Unknown Access
//	3 aurora-postgresql 5432 behind cross-account, encrypted
//	4 aurora-mysql 3306 with DB instance 4 as its writer
//	5 aurora-postgresql 5432 behind the EC2-Classic group (udp 53)
//
// Mutations grow BackupRetentionPeriod by one day.

var dbClusterKinds = [...]string{"pg", "web", "mysql", "partner", "writer", "classic"}

func dbClusterID(i int) string {
	return "sim-cluster-" + dbClusterKinds[rdsVariant(i, 6)] + "-" + strconv.Itoa(i)
}

func dbClusterEngine(v int) (engine, version string, port int) {
	switch v {
	case 1, 2, 4:
		return "aurora-mysql", "8.0.mysql_aurora.3.04.0", 3306
	}
	return "aurora-postgresql", "15.4", 5432
}

func (s *Server) describeDBClusters(req *request) (result, *apiError) {
	return s.rdsList(req, techDBCluster, "DBClusters", 2500, s.writeDBCluster)
}

func (s *Server) writeDBCluster(x *xw, a *account, i, region, gen int) {
	v := rdsVariant(i, 6)
	id := dbClusterID(i)
	rname := s.opts.Regions[region]
	engine, version, port := dbClusterEngine(v)
	encrypted := v == 0 || v == 3
	x.open("DBCluster")
	x.elemInt("AllocatedStorage", 1)
	x.open("AvailabilityZones")
	for _, az := range []string{"a", "b", "c"} {
		x.elem("AvailabilityZone", rname+az)
	}
	x.close("AvailabilityZones")
	x.elemInt("BackupRetentionPeriod", 1+gen)
	if v != 5 {
		x.elem("DatabaseName", "app")
	}
	x.elem("DBClusterIdentifier", id)
	x.elem("DBClusterParameterGroup", "default."+engine)
	x.elem("DBSubnetGroup", dbSubnetGroupName(i))
	x.elem("Status", "available")
	created := s.created(techDBCluster, i)
	x.elemTime("EarliestRestorableTime", created)
	x.elem("Endpoint", s.rdsHost(a, id, region))
	x.elem("ReaderEndpoint", s.rdsHost(a, id+"-ro", region))
	x.elemBool("MultiAZ", false)
	x.elem("Engine", engine)
	x.elem("EngineVersion", version)
	x.elemTime("LatestRestorableTime", s.anchor)
	x.elemInt("Port", port)
	x.elem("MasterUsername", "admin")
	x.raw("<DBClusterOptionGroupMemberships/>")
	x.elem("PreferredBackupWindow", "04:00-04:30")
	x.elem("PreferredMaintenanceWindow", "mon:06:00-mon:06:30")
	x.raw("<ReadReplicaIdentifiers/>")
	x.open("DBClusterMembers")
	if v == 4 {
		x.open("DBClusterMember")
		x.elem("DBInstanceIdentifier", dbInstanceID(i))
		x.elemBool("IsClusterWriter", true)
		x.elem("DBClusterParameterGroupStatus", "in-sync")
		x.elemInt("PromotionTier", 1)
		x.close("DBClusterMember")
	}
	x.close("DBClusterMembers")
	x.open("VpcSecurityGroups")
	x.open("VpcSecurityGroupMembership")
	x.elem("VpcSecurityGroupId", s.sgID(a.idx, i))
	x.elem("Status", "active")
	x.close("VpcSecurityGroupMembership")
	x.close("VpcSecurityGroups")
	x.elem("HostedZoneId", "Z2R2ITUGPM61AM")
	x.elemBool("StorageEncrypted", encrypted)
	if encrypted {
		x.elem("KmsKeyId", "arn:aws:kms:"+rname+":"+a.id+":key/"+s.resourceID("", 32, hexDigits, "rdsdbcluster/kms", a, i))
	}
	x.elem("DbClusterResourceId", s.resourceID("cluster-", 26, b32Digits, "rdsdbcluster/resource", a, i))
	x.elem("DBClusterArn", "arn:aws:rds:"+rname+":"+a.id+":cluster:"+id)
	x.elemBool("IAMDatabaseAuthenticationEnabled", false)
	x.elemTime("ClusterCreateTime", created)
	x.elem("EngineMode", "provisioned")
	x.elemBool("DeletionProtection", v != 1)
	x.elemBool("CopyTagsToSnapshot", true)
	writeRDSTags(x, nil)
	x.close("DBCluster")
}
