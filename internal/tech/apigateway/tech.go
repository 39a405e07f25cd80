// Package apigateway watches and audits API Gateway REST APIs: a technology
// Security Monkey never watched, documented in docs/technologies.md.
package apigateway

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes apigateway (docs/technologies.md).
var Technology = monkey.Technology{
	Index:          "apigateway",
	Singular:       "API Gateway REST API",
	Plural:         "API Gateway REST APIs",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
