// Package redshift watches and audits Redshift clusters (A.42 in
// technologies.md).
package redshift

import "github.com/secmonkey/monkey/internal/monkey"

// Technology describes redshift (technologies.md §0.8). The parameter
// group paths carry the `*` levels the reference's declared paths lacked
// (technologies.md A.42: ClusterParameterGroups is an array).
var Technology = monkey.Technology{
	Index:    "redshift",
	Singular: "Redshift Cluster",
	Plural:   "Redshift Clusters",
	Cloud:    monkey.CloudAWS,
	EphemeralPaths: []string{
		"RestoreStatus",
		"ClusterStatus",
		"ClusterParameterGroups$*$ParameterApplyStatus",
		"ClusterParameterGroups$*$ClusterParameterStatusList$*$ParameterApplyErrorDescription",
		"ClusterParameterGroups$*$ClusterParameterStatusList$*$ParameterApplyStatus",
		"ClusterRevisionNumber",
	},
}
