package rdsdbinstance_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/rdsdbinstance"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, rdsdbinstance.NewAuditor())
}

// issue is a stored security-group issue with notes "… Access: [access]".
func issue(text string, score int, access string) monkey.Issue {
	n := "Entity: [cidr:0.0.0.0/0] Access: [" + access + "]"
	return monkey.Issue{Text: text, Score: score, Notes: &n}
}

func group(id int64, groupID string, issues ...monkey.Issue) audit.Item {
	return audit.Item{ID: id, Account: audittest.Prod, Technology: "securitygroup", Config: monkey.Config{"id": groupID}, Issues: issues}
}

func db(public bool, port string, groups ...string) string {
	sgs := ""
	for i, g := range groups {
		if i > 0 {
			sgs += ","
		}
		sgs += `{"VpcSecurityGroupId":"` + g + `","Status":"active"}`
	}
	p := "false"
	if public {
		p = "true"
	}
	return `{"db_instance_identifier":"orders","publicly_accessible":` + p + `,"endpoint":{"Address":"orders.x","Port":` + port +
		`,"HostedZoneId":"Z"},"vpc_security_groups":[` + sgs + `]}`
}

func TestInternetAccessible(t *testing.T) {
	t.Parallel()
	fixed := issue("Unknown Access", 10, "ingress:tcp:3306") // fixed: links nothing
	fixed.Fixed = true
	support := []audit.Item{
		group(11, "sg-open", issue("Internet Accessible", 10, "ingress:tcp:3306"), issue("Internet Accessible", 10, "ingress:tcp:3300-3310"),
			issue("Internet Accessible", 10, "egress:all_protocols:all_ports"), issue("Unknown Access", 10, "ingress:tcp:22")),
		group(12, "sg-all", issue("Unknown Access", 10, "ingress:all_protocols:all_ports")),
		group(13, "sg-nomatch", issue("Internet Accessible", 10, "ingress:udp:3306"), issue("Internet Accessible", 10, "ingress:icmp:-1"),
			issue("Internet Accessible", 10, "egress:tcp:3306"), fixed),
		group(14, "sg-friend", issue("Friendly Cross Account", 0, "ingress:tcp:3306"), issue("Friendly Cross Account", 0, "ingress:tcp:5432")),
		group(15, "sg-detached", issue("Internet Accessible", 10, "ingress:tcp:3306")),
	}
	a := rdsdbinstance.NewAuditor()
	for _, tc := range []struct {
		name string
		cfg  string
		want []audit.Finding
	}{
		{"public, matching groups", db(true, "3306", "sg-open", "sg-all", "sg-nomatch"), []audit.Finding{
			{Text: "Internet Accessible", Score: 10, LinkedItemIDs: []int64{11}},
			{Text: "Unknown Access", Score: 10, LinkedItemIDs: []int64{12}},
		}},
		{"public, zero scores sum", db(true, "3306", "sg-friend"), []audit.Finding{
			{Text: "Friendly Cross Account", Score: 0, LinkedItemIDs: []int64{14}},
		}},
		{"public, other port", db(true, "5439", "sg-open"), nil},
		{"public, no listener port", `{"publicly_accessible":true,"endpoint":null,"vpc_security_groups":[{"VpcSecurityGroupId":"sg-open"}]}`, nil},
		{"public, all protocols without port", `{"publicly_accessible":true,"vpc_security_groups":[{"VpcSecurityGroupId":"sg-all"}]}`,
			[]audit.Finding{{Text: "Unknown Access", Score: 10, LinkedItemIDs: []int64{12}}}},
		{"private", db(false, "3306", "sg-open", "sg-all"), nil},
		{"no groups", db(true, "3306"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: audittest.Context(t), Support: map[string][]audit.Item{"securitygroup": support}})
			require.Equal(t, tc.want, fs)
		})
	}
}

func TestOverride(t *testing.T) {
	t.Parallel()
	scores := []monkey.AuditScore{{Technology: "rdsdbinstance", Method: "check_internet_accessible (RDSDBInstanceAuditor)", Score: 3}}
	fs := rdsdbinstance.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, db(true, "3306", "sg-1"))},
		&audit.Env{Context: audittest.Context(t), Scores: scores,
			Support: map[string][]audit.Item{"securitygroup": {group(7, "sg-1", issue("Internet Accessible", 10, "ingress:tcp:3306"))}}})
	require.Equal(t, []audit.Finding{{Text: "Internet Accessible", Score: 3, LinkedItemIDs: []int64{7}}}, fs)
}
