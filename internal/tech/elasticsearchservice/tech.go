// Package elasticsearchservice watches and audits the access policies of
// Elasticsearch (OpenSearch) domains (A.41 in technologies.md).
package elasticsearchservice

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes elasticsearchservice (technologies.md §0.8).
var Technology = monkey.Technology{
	Index:          "elasticsearchservice",
	Singular:       "ElasticSearch Service Access Policy",
	Plural:         "ElasticSearch Service Access Policies",
	Cloud:          monkey.CloudAWS,
	EphemeralPaths: []string{},
}
