// Package s3 watches and audits S3 buckets (A.5 in technologies.md).
package s3

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes s3 (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "s3",
	Singular:       "S3 Bucket",
	Plural:         "S3 Buckets",
	Cloud:          monkey.CloudAWS,
	Global:         false,
	EphemeralPaths: []string{"GrantReferences", "_version"},
}
