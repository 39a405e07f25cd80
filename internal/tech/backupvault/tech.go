// Package backupvault watches and audits AWS Backup vaults: a technology
// Security Monkey never watched, documented in docs/technologies.md.
package backupvault

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes backupvault (docs/technologies.md).
var Technology = monkey.Technology{
	Index:          "backupvault",
	Singular:       "Backup Vault",
	Plural:         "Backup Vaults",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{"NumberOfRecoveryPoints"},
}
