package vpn

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	nullableString = shape.Nullable(shape.String)
	stored         = shape.Object(map[string]shape.Field{
		"VpnConnectionId": shape.Opt(shape.String),
		"Arn":             shape.Opt(shape.String),
		"VgwTelemetry": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
			"OutsideIpAddress":   shape.Opt(nullableString),
			"Status":             shape.Opt(nullableString),
			"StatusMessage":      shape.Opt(nullableString),
			"AcceptedRouteCount": shape.Opt(shape.Nullable(shape.Number)),
			"LastStatusChange":   shape.Opt(nullableString),
		}))),
		"tunnels": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
			"outside_ip_address": shape.Opt(shape.Scalar),
			"status":             shape.Opt(shape.Scalar),
			"status_message":     shape.Opt(shape.Scalar),
		}))),
	})
)

// Shape checks the stored shape of technologies.md A.35 (the tunnels the
// auditor reads; the other API fields are free).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
