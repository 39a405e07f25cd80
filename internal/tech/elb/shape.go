package elb

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	str    = shape.Opt(shape.Nullable(shape.String))
	stored = shape.Object(map[string]shape.Field{
		"LoadBalancerName": str,
		"Scheme":           str,
		"VPCId":            str,
		"SecurityGroups":   shape.Opt(shape.ListOf(shape.String)),
		"ListenerDescriptions": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
			"Protocol":         str,
			"LoadBalancerPort": shape.Opt(shape.Nullable(shape.Number)),
			"PolicyNames":      shape.Opt(shape.ListOf(shape.String)),
		}))),
		"Attributes": shape.Opt(shape.Nullable(shape.Object(map[string]shape.Field{
			"AccessLog": shape.Opt(shape.Nullable(shape.Object(map[string]shape.Field{
				"Enabled": shape.Opt(shape.Nullable(shape.Bool)),
			}))),
		}))),
		"PolicyDescriptions": shape.Opt(shape.MapOf(shape.Object(map[string]shape.Field{
			"type":                        str,
			"reference_security_policy":   str,
			"server_defined_cipher_order": shape.Opt(shape.Nullable(shape.Bool)),
			"protocols":                   shape.Opt(shape.MapOf(shape.Nullable(shape.Bool))),
			"supported_ciphers":           shape.Opt(shape.ListOf(shape.String)),
		}))),
	})
)

// Shape checks the stored shape of technologies.md A.11.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
