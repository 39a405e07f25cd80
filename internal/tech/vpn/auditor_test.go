package vpn_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/vpn"
)

var I = audittest.I

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, vpn.NewAuditor())
}

func TestChecks(t *testing.T) {
	t.Parallel()
	a := vpn.NewAuditor()
	const text = "VPN Connection tunnel is not UP"
	for _, tc := range []struct {
		name, cfg string
		want      []audittest.Issue
	}{
		{"all up", `{"VgwTelemetry":[{"OutsideIpAddress":"34.0.0.1","Status":"UP","StatusMessage":""}]}`, nil},
		{"one down", `{"VgwTelemetry":[{"OutsideIpAddress":"34.0.0.1","Status":"UP","StatusMessage":""},
			{"OutsideIpAddress":"34.0.0.2","Status":"DOWN","StatusMessage":"IPSEC IS DOWN"}]}`,
			[]audittest.Issue{I(text, 1, "34.0.0.2 - DOWN - IPSEC IS DOWN")}},
		{"both down, null message", `{"VgwTelemetry":[{"OutsideIpAddress":"34.0.0.1","Status":"DOWN","StatusMessage":null},
			{"OutsideIpAddress":"34.0.0.2","Status":"DOWN"}]}`,
			[]audittest.Issue{I(text, 1, "34.0.0.1 - DOWN - None"), I(text, 1, "34.0.0.2 - DOWN - None")}},
		{"legacy tunnels", `{"tunnels":[{"outside_ip_address":"1.1.1.1","status":"DOWN","status_message":"x"},{"outside_ip_address":"1.1.1.2","status":"UP"}]}`,
			[]audittest.Issue{I(text, 1, "1.1.1.1 - DOWN - x")}},
		{"both lists, duplicate notes collapse", `{"VgwTelemetry":[{"OutsideIpAddress":"1.1.1.1","Status":"DOWN","StatusMessage":"x"}],
			"tunnels":[{"outside_ip_address":"1.1.1.1","status":"DOWN","status_message":"x"}]}`,
			[]audittest.Issue{I(text, 1, "1.1.1.1 - DOWN - x")}},
		{"lower-case up is not UP", `{"VgwTelemetry":[{"OutsideIpAddress":"1.1.1.1","Status":"up","StatusMessage":""}]}`,
			[]audittest.Issue{I(text, 1, "1.1.1.1 - up - ")}},
		{"no tunnels", `{"VgwTelemetry":[]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)}, &audit.Env{Context: audittest.Context(t)})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}

func TestOverride(t *testing.T) {
	t.Parallel()
	cfg := monkey.Config{"VgwTelemetry": []any{map[string]any{"OutsideIpAddress": "1.1.1.1", "Status": "DOWN", "StatusMessage": "x"}}}
	env := &audit.Env{Context: audittest.Context(t), Scores: []monkey.AuditScore{{Technology: "vpn", Method: "check_tunnels (VPNAuditor)", Score: 4}}}
	audittest.Expect(t, vpn.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: cfg}, env), I("VPN Connection tunnel is not UP", 4, "1.1.1.1 - DOWN - x"))
}
