package ec2instance

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	nullableString = shape.Nullable(shape.String)
	stored         = shape.Object(map[string]shape.Field{
		"name":               shape.Opt(shape.String),
		"instance_id":        shape.Opt(nullableString),
		"image_id":           shape.Opt(nullableString),
		"instance_type":      shape.Opt(nullableString),
		"private_dns_name":   shape.Opt(nullableString),
		"public_dns_name":    shape.Opt(nullableString),
		"subnet_id":          shape.Opt(nullableString),
		"vpc_id":             shape.Opt(nullableString),
		"private_ip_address": shape.Opt(nullableString),
		"public_ip_address":  shape.Opt(nullableString),
		"launch_time":        shape.Opt(shape.String),
		"state": shape.Opt(shape.Nullable(shape.Object(map[string]shape.Field{
			"Code": shape.Opt(shape.Number), "Name": shape.Opt(shape.String),
		}))),
		"placement": shape.Opt(shape.Nullable(shape.MapOf(shape.Any))),
		"security_groups": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
			"GroupName": shape.Opt(nullableString), "GroupId": shape.Opt(nullableString),
		}))),
		"tags": shape.Opt(shape.Nullable(shape.ListOf(shape.Object(map[string]shape.Field{
			"Key": shape.Opt(shape.String), "Value": shape.Opt(shape.String),
		})))),
	})
)

// Shape checks the stored shape of technologies.md A.19.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
