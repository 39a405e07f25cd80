// Package audittest is the conformance suite every auditor runs:
// audittest.Run(t, auditor).
package audittest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/monkey"
)

// Expected is the Appendix A entry of one technology.
type Expected struct {
	Class   string
	Methods []string // sorted
}

// AppendixA returns the complete check index of auditors.md Appendix A:
// technology -> auditor class and check methods (a fresh map per call).
func AppendixA() map[string]Expected {
	return appendixA()
}

func appendixA() map[string]Expected {
	return map[string]Expected{
		"iamrole":                   {"IAMRoleAuditor", []string{"check_attached_managed_policies", "check_friendly_cross_account", "check_iam_passrole", "check_iam_star_privileges", "check_internet_accessible", "check_mutable_sensitive_services", "check_notaction", "check_notresource", "check_permissions", "check_root_cross_account", "check_security_group_permissions", "check_star_privileges", "check_thirdparty_cross_account", "check_unknown_cross_account"}},
		"iamuser":                   {"IAMUserAuditor", []string{"check_access_key_last_used", "check_access_key_rotation", "check_active_access_keys", "check_attached_managed_policies", "check_iam_passrole", "check_iam_star_privileges", "check_inactive_access_keys", "check_loginprofile_plus_akeys", "check_mutable_sensitive_services", "check_no_mfa", "check_notaction", "check_notresource", "check_permissions", "check_security_group_permissions", "check_star_privileges"}},
		"iamgroup":                  {"IAMGroupAuditor", []string{"check_attached_managed_policies", "check_iam_passrole", "check_iam_star_privileges", "check_mutable_sensitive_services", "check_notaction", "check_notresource", "check_permissions", "check_security_group_permissions", "check_star_privileges"}},
		"policy":                    {"ManagedPolicyAuditor", []string{"check_iam_passrole", "check_iam_star_privileges", "check_mutable_sensitive_services", "check_notaction", "check_notresource", "check_permissions", "check_security_group_permissions", "check_star_privileges"}},
		"s3":                        {"S3Auditor", []string{"check_acl_friendly_canonical", "check_acl_friendly_legacy", "check_acl_internet_accessible", "check_acl_log_delivery", "check_acl_thirdparty_canonical", "check_acl_thirdparty_legacy", "check_acl_unknown", "check_friendly_cross_account", "check_internet_accessible", "check_policy_exists", "check_root_cross_account", "check_thirdparty_cross_account", "check_unknown_cross_account"}},
		"securitygroup":             {"SecurityGroupAuditor", []string{"check_friendly_cross_account_egress", "check_friendly_cross_account_ingress", "check_internet_accessible_egress", "check_internet_accessible_ingress", "check_securitygroup_ec2_rfc1918", "check_thirdparty_cross_account_egress", "check_thirdparty_cross_account_ingress", "check_unknown_cross_account_egress", "check_unknown_cross_account_ingress"}},
		"sqs":                       {"SQSAuditor", []string{"check_friendly_cross_account", "check_internet_accessible", "check_root_cross_account", "check_thirdparty_cross_account", "check_unknown_cross_account"}},
		"sns":                       {"SNSAuditor", []string{"check_friendly_cross_account", "check_internet_accessible", "check_root_cross_account", "check_snstopicpolicy_empty", "check_subscriptions_crossaccount", "check_thirdparty_cross_account", "check_unknown_cross_account"}},
		"kms":                       {"KMSAuditor", []string{"check_for_kms_key_rotation", "check_friendly_cross_account", "check_internet_accessible", "check_root_cross_account", "check_thirdparty_cross_account", "check_unknown_cross_account"}},
		"lambda":                    {"LambdaFunctionAuditor", []string{"check_friendly_cross_account", "check_internet_accessible", "check_root_cross_account", "check_thirdparty_cross_account", "check_unknown_cross_account"}},
		"elb":                       {"ELBAuditor", []string{"check_internet_scheme", "check_listener_reference_policy", "check_logging"}},
		"alb":                       {"ELBv2Auditor", []string{"check_deletion_protection", "check_internet_facing", "check_logging", "check_ssl_policy"}},
		"rdsdbinstance":             {"RDSDBInstanceAuditor", []string{"check_internet_accessible"}},
		"rdsdbcluster":              {"RDSDBClusterAuditor", []string{"check_internet_accessible"}},
		"rdssecuritygroup":          {"RDSSecurityGroupAuditor", []string{"check_rds_ec2_rfc1918", "check_securitygroup_10net", "check_securitygroup_any", "check_securitygroup_large_subnet", "check_securitygroup_zero_subnet"}},
		"rdssnapshot":               {"RDSSnapshotAuditor", []string{"check_friendly_cross_account", "check_internet_accessible", "check_thirdparty_cross_account", "check_unknown_cross_account"}},
		"ec2image":                  {"EC2ImageAuditor", []string{"check_friendly_cross_account", "check_internet_accessible", "check_thirdparty_cross_account", "check_unknown_cross_account"}},
		"ebssnapshot":               {"EBSSnapshotAuditor", []string{"check_friendly_access", "check_internet_accessible", "check_marketplace_access", "check_thirdparty_access", "check_unknown_access"}},
		"vpc":                       {"VPCAuditor", []string{"check_flow_logs_enabled"}},
		"vpn":                       {"VPNAuditor", []string{"check_tunnels"}},
		"iamssl":                    {"IAMSSLAuditor", []string{"check_cert_size_lt_1024", "check_cert_size_lt_2048", "check_expired", "check_future_expiration", "check_issuer", "check_signature_algorith_for_md5", "check_signature_algorith_for_sha1", "check_upcoming_expiration", "check_upload_date_for_heartbleed"}},
		"glacier":                   {"GlacierVaultAuditor", []string{"check_friendly_cross_account", "check_internet_accessible", "check_root_cross_account", "check_thirdparty_cross_account", "check_unknown_cross_account"}},
		"elasticsearchservice":      {"ElasticSearchServiceAuditor", []string{"check_friendly_cross_account", "check_internet_accessible", "check_root_cross_account", "check_thirdparty_cross_account", "check_unknown_cross_account"}},
		"redshift":                  {"RedshiftAuditor", []string{"check_running_in_vpc"}},
		"route53":                   {"Route53Auditor", []string{"check_for_public_zone_with_private_records"}},
		"acm":                       {"ACMAuditor", []string{"check_expired", "check_future_expiration", "check_upcoming_expiration"}},
		"cloudtrail":                {"CloudTrailAuditor", []string{"check_if_cloudtrail_in_all_regions", "check_if_cloudtrail_is_enabled"}},
		"ses":                       {"SESAuditor", []string{"check_verified"}},
		"gcefirewallrule":           {"GCEFirewallRuleAuditor", []string{"check_allowed", "check_source_ranges", "check_target_tags"}},
		"gcenetwork":                {"GCENetworkAuditor", []string{"check_networks"}},
		"gcsbucket":                 {"GCSBucketAuditor", []string{"check_acl", "check_cors", "check_default_object_acl"}},
		"iamserviceaccount":         {"IAMServiceAccountAuditor", []string{"check_serviceaccount"}},
		"openstack_securitygroup":   {"OpenStackSecurityGroupAuditor", []string{"check_friendly_cross_account_egress", "check_friendly_cross_account_ingress", "check_internet_accessible_egress", "check_internet_accessible_ingress", "check_securitygroup_ec2_rfc1918", "check_thirdparty_cross_account_egress", "check_thirdparty_cross_account_ingress", "check_unknown_cross_account_egress", "check_unknown_cross_account_ingress"}},
		"openstack_objectcontainer": {"OpenStackObjectContainerAuditor", []string{"check_acls"}},
		"organization":              {"GitHubOrgAuditor", []string{"check_for_non_twofa_members", "check_for_public_repo"}},
		"repository":                {"GitHubRepoAuditor", []string{"check_for_admin_teams", "check_for_deploy_keys", "check_for_no_protected_branches", "check_for_outside_collaborators", "check_for_public_repo", "check_if_forked_repo"}},
		"team":                      {"GitHubTeamAuditor", []string{"check_for_public_team"}},
	}
}

// junkKeys are config keys read by auditors across technologies; the junk
// configs put wrongly typed values under them.
var junkKeys = []string{
	"Policy", "Policies", "policy", "Attributes", "Grants", "Owner", "rules", "AccessKeys", "InlinePolicies",
	"ManagedPolicies", "managed_policies", "grouppolicies", "LoginProfile", "MfaDevices", "AssumeRolePolicyDocument",
	"vpc_id", "assigned_to", "arn", "Arn", "attached_users", "attached_roles", "attached_groups", "id", "Scheme",
	"VPCId", "SecurityGroups", "ListenerDescriptions", "Listeners", "PolicyDescriptions", "ip_ranges", "expiration",
	"size", "issuer", "signature_algorithm", "upload_date", "Statement", "Name", "name", "subscriptions",
	"KeyRotationEnabled", "endpoint", "port", "vpc_security_groups", "Tags", "tags",
	"LaunchPermissions", "Public", "create_volume_permissions",
}

func junk(rng *rand.Rand, depth int) any {
	n := 7
	if depth > 3 {
		n = 5
	}
	switch rng.IntN(n) {
	case 0:
		return nil
	case 1:
		return rng.IntN(3) == 0
	case 2:
		return float64(rng.IntN(70000) - 100)
	case 3:
		strs := []string{"", "*", "Allow", "Active", "ingress", "egress", "-1", "0.0.0.0/0", "10.0.0.0/8", "arn:aws:iam::123456789012:root",
			"s3:*", "iam:passrole", "2010-01-01 00:00:00+00:00", "not-a-date", "\xff\xfe", "sg-1", "[", "a/b/c", "tcp"}
		return strs[rng.IntN(len(strs))]
	case 4:
		return fmt.Sprintf("junk-%d", rng.IntN(100))
	case 5:
		l := make([]any, rng.IntN(4))
		for i := range l {
			l[i] = junk(rng, depth+1)
		}
		return l
	default:
		m := map[string]any{}
		for range rng.IntN(5) {
			keys := append(slices.Clone(junkKeys), "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal",
				"NotPrincipal", "Condition", "AWS", "Service", "StringEquals", "ID", "rule_type", "ip_protocol", "from_port",
				"to_port", "cidr_ip", "owner_id", "group_id", "Status", "AccessKeyId", "CreateDate", "LastUsedDate", "UserId", "Group")
			m[keys[rng.IntN(len(keys))]] = junk(rng, depth+1)
		}
		return m
	}
}

// Run checks an auditor against the framework contract and Appendix A.
func Run(t *testing.T, a audit.Auditor) {
	t.Helper()
	tech, class := a.Technology(), a.Class()
	require.NotEmpty(t, tech, "technology")
	require.NotEmpty(t, class, "class")
	checks := a.Checks()
	require.NotEmpty(t, checks)
	ids := map[string]bool{}
	var methods []string
	for _, c := range checks {
		require.True(t, strings.HasPrefix(c.Method, "check_"), "method %q must start with check_", c.Method)
		require.Equal(t, tech+"."+strings.TrimPrefix(c.Method, "check_"), c.ID, "check id of %s", c.Method)
		require.Equal(t, class, c.Class, "class of %s", c.ID)
		require.False(t, ids[c.ID], "duplicate check id %s", c.ID)
		ids[c.ID] = true
		require.Equal(t, c.Method+" ("+class+")", c.OverrideKey())
		methods = append(methods, c.Method)
	}
	if want, ok := AppendixA()[tech]; ok {
		require.Equal(t, want.Class, class, "class of %s (Appendix A)", tech)
		slices.Sort(methods)
		require.Equal(t, want.Methods, methods, "check methods of %s (Appendix A)", tech)
	}

	accounts := []monkey.Account{
		{Identifier: "111122223333", Name: "prod"},
		{Identifier: "444455556666", Name: "partner", Custom: map[string]string{"s3_name": "partner", "canonical_id": "abc"}},
		{Identifier: "999988887777", Name: "vendor", ThirdParty: true},
	}
	ctx, err := audit.ContextFromData(accounts, []monkey.NetworkWhitelist{{Name: "office", CIDR: "198.51.100.0/24"}},
		[]monkey.KnownResource{{Account: "111122223333", Kind: "cidr", Value: "10.0.0.0/16"}},
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	own := monkey.Account{Identifier: "111122223333", Name: "prod", Type: "AWS"}

	// Empty config, nil env and empty env: no panic.
	require.NotPanics(t, func() {
		a.Audit(audit.Item{Account: own, Technology: tech, Config: monkey.Config{}}, nil)
		a.Audit(audit.Item{Account: own, Technology: tech, Config: monkey.Config{}}, &audit.Env{Context: ctx})
		a.Audit(audit.Item{Account: own, Technology: tech}, &audit.Env{})
	})

	// Junk configs: wrong types everywhere, junk support items.
	rng := rand.New(rand.NewPCG(1, uint64(len(tech))))
	for i := range 300 {
		cfg := monkey.Config{}
		for _, k := range junkKeys {
			if rng.IntN(2) == 0 {
				cfg[k] = junk(rng, 0)
			}
		}
		support := map[string][]audit.Item{}
		for _, s := range a.Support() {
			sc, _ := junk(rng, 0).(map[string]any)
			support[s] = []audit.Item{{ID: 1, Config: sc, Issues: []monkey.Issue{{Text: "Internet Accessible", Score: 10, Notes: audit.Str("Entity: [cidr:0.0.0.0/0] Access: [ingress:tcp:1-65535]")}}}}
		}
		env := &audit.Env{Context: ctx, Support: support}
		require.NotPanics(t, func() { a.Audit(audit.Item{Account: own, Technology: tech, Config: cfg}, env) }, "junk config #%d: %#v", i, cfg)
	}
}
