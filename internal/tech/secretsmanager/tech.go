// Package secretsmanager watches and audits Secrets Manager secrets (metadata and resource policy, never the secret value): a technology
// Security Monkey never watched, documented in docs/technologies.md.
package secretsmanager

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes secretsmanager (docs/technologies.md).
var Technology = monkey.Technology{
	Index:          "secretsmanager",
	Singular:       "Secrets Manager Secret",
	Plural:         "Secrets Manager Secrets",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{"LastAccessedDate", "LastChangedDate", "LastRotatedDate", "SecretVersionsToStages"},
}
