package vpn

import "github.com/secmonkey/monkey/internal/audit"

// Class is the reference auditor class.
const Class = "VPNAuditor"

// Auditor checks the tunnels of a VPN connection (auditors.md §5.24).
type Auditor struct{ *audit.Checker }

// NewAuditor builds the auditor.
func NewAuditor() *Auditor {
	return &Auditor{audit.NewChecker(Technology.Index, Class, nil, false,
		audit.Check{Method: "check_tunnels", Run: checkTunnels},
	)}
}

// checkTunnels: one issue per tunnel whose status is not UP, from
// VgwTelemetry and from the legacy snake_case "tunnels" (the reference read
// only the latter, which its collector never wrote).
func checkTunnels(r *audit.Run) {
	cfg := map[string]any(r.Item.Config)
	for _, src := range []struct{ list, ip, status, message string }{
		{"VgwTelemetry", "OutsideIpAddress", "Status", "StatusMessage"},
		{"tunnels", "outside_ip_address", "status", "status_message"},
	} {
		tunnels, _ := cfg[src.list].([]any)
		for _, t := range tunnels {
			m, ok := t.(map[string]any)
			if !ok || m[src.status] == "UP" {
				continue
			}
			notes := audit.PyRepr(m[src.ip]) + " - " + audit.PyRepr(m[src.status]) + " - " + audit.PyRepr(m[src.message])
			r.AddIssue(1, "VPN Connection tunnel is not UP", &notes, nil)
		}
	}
}
