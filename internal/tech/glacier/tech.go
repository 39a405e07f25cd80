// Package glacier watches and audits Glacier vaults (A.40 in
// technologies.md).
package glacier

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes glacier (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "glacier",
	Singular:       "Glacier Vault",
	Plural:         "Glacier Vaults",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{"LastInventoryDate", "NumberOfArchives", "SizeInBytes"},
}
