// Package vpn watches and audits site-to-site VPN connections (A.35 in
// technologies.md).
package vpn

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes vpn (technologies.md §0.8). The tunnels' status is
// ephemeral: a tunnel going down and up again is no durable change (the
// auditor still reports a tunnel that is down).
var Technology = monkey.Technology{
	Index:    "vpn",
	Singular: "VPN Connection",
	Plural:   "VPN Connections",
	Cloud:    monkey.CloudAWS,
	Global:   false,
	EphemeralPaths: []string{
		"VgwTelemetry$*$LastStatusChange",
		"VgwTelemetry$*$Status",
		"VgwTelemetry$*$StatusMessage",
	},
}
