package vpc_test

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
	"github.com/secmonkey/monkey/internal/audit/audittest"
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/tech/vpc"
)

var I = audittest.I

func TestConformance(t *testing.T) {
	t.Parallel()
	audittest.Run(t, vpc.NewAuditor())
}

func flowLog(id string, status any) audit.Item {
	return audit.Item{ID: 7, Technology: "flowlog", Config: monkey.Config{"flow_log_id": id, "flow_log_status": status, "resource_id": "vpc-1"}}
}

func TestChecks(t *testing.T) {
	t.Parallel()
	a := vpc.NewAuditor()
	notEnabled := []audittest.Issue{audittest.N("Flow Logs not enabled for VPC", 5)}
	for _, tc := range []struct {
		name     string
		cfg      string
		flowLogs []audit.Item
		want     []audittest.Issue
	}{
		{"no FlowLogs key", `{"Id":"vpc-1"}`, nil, notEnabled},
		{"no flow log", `{"Id":"vpc-1","FlowLogs":[]}`, []audit.Item{flowLog("fl-1", "ACTIVE")}, notEnabled},
		{"FlowLogs null", `{"Id":"vpc-1","FlowLogs":null}`, nil, notEnabled},
		{"active flow log", `{"Id":"vpc-1","FlowLogs":["fl-1"]}`, []audit.Item{flowLog("fl-1", "ACTIVE")}, nil},
		{"inactive flow log", `{"Id":"vpc-1","FlowLogs":["fl-1","fl-2"]}`,
			[]audit.Item{flowLog("fl-1", "ACTIVE"), flowLog("fl-2", "INACTIVE")}, notEnabled},
		{"status missing is not ACTIVE", `{"Id":"vpc-1","FlowLogs":["fl-2"]}`, []audit.Item{flowLog("fl-2", nil)}, notEnabled},
		{"unknown flow log ids are skipped", `{"Id":"vpc-1","FlowLogs":["fl-9"]}`, []audit.Item{flowLog("fl-2", "INACTIVE")}, nil},
		{"no flow log items at all", `{"Id":"vpc-1","FlowLogs":["fl-1"]}`, nil, nil},
		{"two inactive: one issue", `{"Id":"vpc-1","FlowLogs":["fl-1","fl-2"]}`,
			[]audit.Item{flowLog("fl-1", "INACTIVE"), flowLog("fl-2", "FAILED")}, notEnabled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := a.Audit(audit.Item{Account: audittest.Prod, Config: audittest.Config(t, tc.cfg)},
				&audit.Env{Context: audittest.Context(t), Support: map[string][]audit.Item{"flowlog": tc.flowLogs}})
			audittest.Expect(t, fs, tc.want...)
		})
	}
}

func TestOverride(t *testing.T) {
	t.Parallel()
	env := &audit.Env{Context: audittest.Context(t), Scores: []monkey.AuditScore{
		{Technology: "vpc", Method: "check_flow_logs_enabled (VPCAuditor)", Score: 9}}}
	fs := vpc.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: monkey.Config{"FlowLogs": []any{}}}, env)
	audittest.Expect(t, fs, audittest.N("Flow Logs not enabled for VPC", 9))
	env.Scores[0].Disabled = true
	audittest.Expect(t, vpc.NewAuditor().Audit(audit.Item{Account: audittest.Prod, Config: monkey.Config{}}, env))
}
