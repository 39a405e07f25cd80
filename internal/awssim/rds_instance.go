package awssim

import (
	"strconv"
)

// rdsdbinstance: DB instances (DescribeDBInstances). Instance i uses the
// security group i of ec2.go (same region) and the subnet group i. Variants
// (rdsVariant(i, 6)), aligned with the security-group kinds of the same
// index:
//
//	0 private postgres 5432 (benign; the bulk of large accounts)
//	1 public mysql 3306 behind web-ipv6 (443/80 open): no listener match
//	2 public mysql 3306 behind db-private (3306 from private CIDRs, Unknown
//	  Access): the linked issue of the listener-linked check
//	3 public postgres 5432 behind cross-account (443)
//	4 private aurora-mysql member of cluster 4
//	5 public EC2-Classic mysql: a DB security group, no VPC groups
//
// Mutations grow AllocatedStorage by 10 GiB.

var dbInstanceKinds = [...]string{"private", "public-web", "public-mysql", "public-pg", "aurora", "classic"}

func dbInstanceID(i int) string {
	return "sim-db-" + dbInstanceKinds[rdsVariant(i, 6)] + "-" + strconv.Itoa(i)
}

// dbEngine is the engine, version and port of variant v.
func dbEngine(v int) (engine, version string, port int) {
	switch v {
	case 0, 3:
		return "postgres", "15.4", 5432
	case 4:
		return "aurora-mysql", "8.0.mysql_aurora.3.04.0", 3306
	}
	return "mysql", "8.0.35", 3306
}

func (s *Server) describeDBInstances(req *request) (result, *apiError) {
	return s.rdsList(req, techDBInstance, "DBInstances", 3000, s.writeDBInstance)
}

func (s *Server) writeDBInstance(x *xw, a *account, i, region, gen int) {
	v := rdsVariant(i, 6)
	id := dbInstanceID(i)
	rname := s.opts.Regions[region]
	engine, version, port := dbEngine(v)
	public := v == 1 || v == 2 || v == 3 || v == 5
	encrypted := v == 0 || v == 4
	x.open("DBInstance")
	x.elem("DBInstanceIdentifier", id)
	x.elem("DBInstanceClass", "db.t3.medium")
	x.elem("Engine", engine)
	x.elem("DBInstanceStatus", "available")
	x.elem("MasterUsername", "admin")
	if v != 4 {
		x.elem("DBName", "app")
	}
	x.open("Endpoint")
	x.elem("Address", s.rdsHost(a, id, region))
	x.elemInt("Port", port)
	x.elem("HostedZoneId", "Z2R2ITUGPM61AM")
	x.close("Endpoint")
	x.elemInt("AllocatedStorage", 20+10*gen)
	x.elemTime("InstanceCreateTime", s.created(techDBInstance, i))
	x.elem("PreferredBackupWindow", "03:00-03:30")
	x.elemInt("BackupRetentionPeriod", 7)
	x.open("DBSecurityGroups")
	if v == 5 {
		x.open("DBSecurityGroup")
		x.elem("DBSecurityGroupName", dbSecurityGroupName(i))
		x.elem("Status", "active")
		x.close("DBSecurityGroup")
	}
	x.close("DBSecurityGroups")
	x.open("VpcSecurityGroups")
	if v != 5 {
		x.open("VpcSecurityGroupMembership")
		x.elem("VpcSecurityGroupId", s.sgID(a.idx, i))
		x.elem("Status", "active")
		x.close("VpcSecurityGroupMembership")
	}
	x.close("VpcSecurityGroups")
	x.open("DBParameterGroups")
	x.open("DBParameterGroup")
	x.elem("DBParameterGroupName", "default."+engine)
	x.elem("ParameterApplyStatus", "in-sync")
	x.close("DBParameterGroup")
	x.close("DBParameterGroups")
	x.elem("AvailabilityZone", rname+"a")
	if v != 5 {
		s.writeDBSubnetGroup(x, "DBSubnetGroup", a, i, region, 0, false)
	}
	x.elem("PreferredMaintenanceWindow", "sun:05:00-sun:05:30")
	x.elemTime("LatestRestorableTime", s.anchor)
	x.elemBool("MultiAZ", v == 0)
	if v == 0 {
		x.elem("SecondaryAvailabilityZone", rname+"b")
	}
	x.elem("EngineVersion", version)
	x.elemBool("AutoMinorVersionUpgrade", true)
	x.raw("<ReadReplicaDBInstanceIdentifiers/><ReadReplicaDBClusterIdentifiers/>")
	license := "general-public-license"
	if engine == "postgres" {
		license = "postgresql-license"
	}
	x.elem("LicenseModel", license)
	x.open("OptionGroupMemberships")
	x.open("OptionGroupMembership")
	x.elem("OptionGroupName", "default:"+engine)
	x.elem("Status", "in-sync")
	x.close("OptionGroupMembership")
	x.close("OptionGroupMemberships")
	x.elemBool("PubliclyAccessible", public)
	x.elem("StorageType", "gp3")
	x.elemInt("DbInstancePort", 0)
	if v == 4 {
		x.elem("DBClusterIdentifier", dbClusterID(i))
	}
	x.elemBool("StorageEncrypted", encrypted)
	if encrypted {
		x.elem("KmsKeyId", "arn:aws:kms:"+rname+":"+a.id+":key/"+s.resourceID("", 32, hexDigits, "rdsdbinstance/kms", a, i))
	}
	x.elem("DbiResourceId", s.resourceID("db-", 26, b32Digits, "rdsdbinstance/resource", a, i))
	x.elem("CACertificateIdentifier", "rds-ca-rsa2048-g1")
	x.elemBool("CopyTagsToSnapshot", v == 0)
	x.elemInt("MonitoringInterval", 0)
	x.elem("DBInstanceArn", "arn:aws:rds:"+rname+":"+a.id+":db:"+id)
	writeRDSTags(x, []tag{{"env", [...]string{"prod", "dev"}[i%2]}})
	x.close("DBInstance")
}
