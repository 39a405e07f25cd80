package vpc

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

var (
	tags = shape.ListOf(shape.Object(map[string]shape.Field{
		"Key":   shape.Opt(shape.String),
		"Value": shape.Opt(shape.String),
	}))
	ids    = shape.ListOf(shape.String)
	stored = shape.Object(map[string]shape.Field{
		"Arn":                         shape.Opt(shape.String),
		"Id":                          shape.Opt(shape.String),
		"Name":                        shape.Opt(shape.Nullable(shape.String)),
		"Region":                      shape.Opt(shape.String),
		"Tags":                        shape.Opt(tags),
		"IsDefault":                   shape.Opt(shape.Bool),
		"InstanceTenancy":             shape.Opt(shape.String),
		"DhcpOptionsId":               shape.Opt(shape.Nullable(shape.String)),
		"CidrBlock":                   shape.Opt(shape.String),
		"CidrBlockAssociationSet":     shape.Opt(shape.ListOf(shape.MapOf(shape.Any))),
		"Ipv6CidrBlockAssociationSet": shape.Opt(shape.ListOf(shape.MapOf(shape.Any))),
		"Attributes":                  shape.Opt(shape.MapOf(shape.Any)),
		"InternetGateway":             shape.Opt(shape.MapOf(shape.Any)),
		"ClassicLink":                 shape.Opt(shape.MapOf(shape.Any)),
		"VpcPeeringConnections":       shape.Opt(ids),
		"Subnets":                     shape.Opt(ids),
		"RouteTables":                 shape.Opt(ids),
		"NetworkAcls":                 shape.Opt(ids),
		"FlowLogs":                    shape.Opt(ids),
		"_version":                    shape.Opt(shape.Number),
	})
)

// Shape checks the stored shape of technologies.md A.26 (FlowLogs is read
// by the auditor; Id, CidrBlock and Tags by Facts).
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
