package ec2image

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"ImageId": shape.Opt(shape.String),
	"Public":  shape.Opt(shape.Nullable(shape.Bool)),
	"LaunchPermissions": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
		"UserId":                shape.Opt(shape.String),
		"Group":                 shape.Opt(shape.String),
		"OrganizationArn":       shape.Opt(shape.String),
		"OrganizationalUnitArn": shape.Opt(shape.String),
	}))),
})

// Shape checks the stored shape of technologies.md A.20.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
