package iamrole

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

// managedPolicies is the ManagedPolicies list of the IAM principals.
var managedPolicies = shape.ListOf(shape.Object(map[string]shape.Field{
	"name": shape.Opt(shape.String), "arn": shape.Opt(shape.String),
}))

var stored = shape.Object(map[string]shape.Field{
	"Arn":                      shape.Opt(shape.String),
	"RoleName":                 shape.Opt(shape.String),
	"RoleId":                   shape.Opt(shape.String),
	"AssumeRolePolicyDocument": shape.Req(shape.PolicyDocument),
	"InlinePolicies":           shape.Opt(shape.MapOf(shape.PolicyDocument)),
	"ManagedPolicies":          shape.Opt(managedPolicies),
	"Tags":                     shape.Opt(shape.MapOf(shape.Scalar)),
})

// Shape checks the stored shape of technologies.md A.1.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
