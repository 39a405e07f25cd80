package vpc

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "VPCAuditor"

// flowLogIndex is the support technology whose stored configs the auditor
// reads (a support watcher: auditors.md §2.1).
const flowLogIndex = "flowlog"

// Auditor checks that every VPC has active flow logs (auditors.md §5.24).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, []string{flowLogIndex}, false,
		audit.Check{Method: "check_flow_logs_enabled", Run: checkFlowLogs},
	).ReadsSupport(flowLogIndex, "flow_log_id", "flow_log_status")}
}

// checkFlowLogs: an issue when the VPC has no flow log, or when one of its
// flow logs is known (a stored flowlog item of the account) with a status
// other than ACTIVE; unknown flow-log ids are skipped.
func checkFlowLogs(r *audit.Run) {
	const text = "Flow Logs not enabled for VPC"
	ids, _ := map[string]any(r.Item.Config)["FlowLogs"].([]any)
	if len(ids) == 0 {
		r.AddIssue(5, text, nil, nil)
		return
	}
	status := map[string]any{}
	for _, fl := range r.Env.Support[flowLogIndex] {
		if id := audit.GetStr(map[string]any(fl.Config), "flow_log_id"); id != "" {
			status[id] = audit.Get(map[string]any(fl.Config), "flow_log_status")
		}
	}
	for _, id := range ids {
		s, _ := id.(string)
		if st, known := status[s]; known && st != "ACTIVE" {
			r.AddIssue(5, text, nil, nil)
			return
		}
	}
}
