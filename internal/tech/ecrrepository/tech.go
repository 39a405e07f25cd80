// Package ecrrepository watches and audits ECR repositories: a technology
// Security Monkey never watched, documented in docs/technologies.md.
package ecrrepository

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes ecrrepository (docs/technologies.md).
var Technology = monkey.Technology{
	Index:          "ecrrepository",
	Singular:       "ECR Repository",
	Plural:         "ECR Repositories",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
