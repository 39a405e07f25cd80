package iamuser

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var stored = shape.Object(map[string]shape.Field{
	"Arn":            shape.Opt(shape.String),
	"UserName":       shape.Opt(shape.String),
	"UserId":         shape.Opt(shape.String),
	"InlinePolicies": shape.Opt(shape.MapOf(shape.PolicyDocument)),
	"ManagedPolicies": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
		"name": shape.Opt(shape.String), "arn": shape.Opt(shape.String),
	}))),
	"AccessKeys": shape.Opt(shape.ListOf(shape.Object(map[string]shape.Field{
		"AccessKeyId":  shape.Opt(shape.String),
		"Status":       shape.Opt(shape.String),
		"CreateDate":   shape.Opt(shape.String),
		"LastUsedDate": shape.Opt(shape.Nullable(shape.String)),
	}))),
	"MfaDevices":   shape.Opt(shape.Nullable(shape.MapOf(shape.Any))),
	"LoginProfile": shape.Opt(shape.Nullable(shape.Object(nil))),
})

// Shape checks the stored shape of technologies.md A.2.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
