package rdsdbcluster_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/rdsdbcluster"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, rdsdbcluster.NewAuditor())
}

func issue(text string, score int, access string) monkey.Issue {
	n := "Entity: [cidr:10.0.0.0/8] Access: [" + access + "]"
	return monkey.Issue{Text: text, Score: score, Notes: &n}
}

func group(id int64, groupID string, issues ...monkey.Issue) audit.Item {
	return audit.Item{ID: id, Account: audittest.Prod, Technology: "securitygroup", Config: monkey.Config{"id": groupID}, Issues: issues}
}

func cluster(port string, groups ...string) string {
	sgs := ""
	for i, g := range groups {
		if i > 0 {
			sgs += ","
		}
		sgs += `{"VpcSecurityGroupId":"` + g + `","Status":"active"}`
	}
	return `{"name":"orders","port":` + port + `,"vpc_security_groups":[` + sgs + `]}`
}

func TestInternetAccessible(t *testing.T) {
	t.Parallel()
	support := []audit.Item{
		group(21, "sg-db", issue("Unknown Access", 10, "ingress:tcp:3306"), issue("Unknown Access", 10, "ingress:tcp:3306"),
			issue("Internet Accessible", 10, "ingress:tcp:22")),
		group(22, "sg-wide", issue("Internet Accessible", 10, "ingress:tcp:1024-65535"), issue("Friendly Cross Account", 0, "ingress:udp:3306")),
		group(23, "sg-other", issue("Internet Accessible", 10, "ingress:tcp:3306")),
	}
	a := rdsdbcluster.NewAuditor()
	for _, tc := range []struct {
		name string
		cfg  string
		want []audit.Finding
	}{
		{"linked, no public gate", cluster("3306", "sg-db", "sg-wide"), []audit.Finding{
			{Text: "Unknown Access", Score: 10, LinkedItemIDs: []int64{21}},
			{Text: "Internet Accessible", Score: 10, LinkedItemIDs: []int64{22}},
		}},
		{"postgres port", cluster("5432", "sg-db", "sg-wide"), []audit.Finding{{Text: "Internet Accessible", Score: 10, LinkedItemIDs: []int64{22}}}},
		{"port below the range", cluster("1023", "sg-wide"), nil},
		{"no groups", cluster("3306"), nil},
		{"no port", `{"name":"x","vpc_security_groups":[{"VpcSecurityGroupId":"sg-db"}]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: audittest.Context(t), Support: map[string][]audit.Item{"securitygroup": support}})
			require.Equal(t, tc.want, fs)
		})
	}
}

func TestDisabled(t *testing.T) {
	t.Parallel()
	scores := []monkey.AuditScore{{Technology: "rdsdbcluster", Method: "check_internet_accessible (RDSDBClusterAuditor)", Disabled: true}}
	fs := rdsdbcluster.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, cluster("3306", "sg-1"))},
		&audit.Env{Context: audittest.Context(t), Scores: scores,
			Support: map[string][]audit.Item{"securitygroup": {group(7, "sg-1", issue("Internet Accessible", 10, "ingress:tcp:3306"))}}})
	require.Empty(t, fs)
}
