// Package codeartifactrepository watches and audits CodeArtifact
// repositories: a technology Security Monkey never watched, documented in
// docs/technologies.md.
package codeartifactrepository

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes codeartifactrepository (docs/technologies.md).
var Technology = monkey.Technology{
	Index:          "codeartifactrepository",
	Singular:       "CodeArtifact Repository",
	Plural:         "CodeArtifact Repositories",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
