package kms

import (
	"fmt"

	"github.com/secmonkey/monkey/internal/awsclient"
	"github.com/secmonkey/monkey/internal/monkey"
)

// normalize builds the stored shape of technologies.md A.9: KeyMetadata
// passed through (CreationDate and DeletionDate as ISO-OFF), the aliases,
// the parsed key policies, the grants (CreationDate ISO-OFF) and the
// rotation flag.
func normalize(r *raw) (monkey.Config, error) {
	if r.Metadata == nil {
		return nil, fmt.Errorf("describe key: no metadata")
	}
	cfg, _ := awsclient.Passthrough(r.Metadata).(map[string]any)
	if t := r.Metadata.CreationDate; t != nil {
		cfg["CreationDate"] = awsclient.ISOOff(*t)
	}
	if t := r.Metadata.DeletionDate; t != nil {
		cfg["DeletionDate"] = awsclient.ISOOff(*t)
	}
	cfg["Aliases"] = anyList(r.Aliases)
	pols := make([]any, 0, len(r.Policies))
	for _, p := range r.Policies {
		doc, err := awsclient.PolicyDocument(p)
		if err != nil {
			return nil, fmt.Errorf("key policy: %w", err)
		}
		pols = append(pols, doc)
	}
	cfg["Policies"] = pols
	grants := make([]any, len(r.Grants))
	for i := range r.Grants {
		g, _ := awsclient.Passthrough(&r.Grants[i]).(map[string]any)
		if t := r.Grants[i].CreationDate; t != nil {
			g["CreationDate"] = awsclient.ISOOff(*t)
		}
		grants[i] = g
	}
	cfg["Grants"] = grants
	cfg["KeyRotationEnabled"] = r.Rotation
	return cfg, nil
}

// stub is the config of a key whose DescribeKey was denied (the
// reference's, with the account number where it put the account name).
func stub(k key, partition, region, account string) monkey.Config {
	return monkey.Config{
		"Error":        "Unauthorized",
		"Arn":          "arn:" + partition + ":kms:" + region + ":" + account + ":key/" + k.id,
		"AWSAccountId": account,
		"Policies":     []any{},
		"Grants":       []any{},
		"Aliases":      anyList(k.aliases),
	}
}

func anyList(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}
