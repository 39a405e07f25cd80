package audit

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
)

//go:embed data/aws_accounts.json
var awsAccountsJSON []byte

// awsAccountGroupURL is the documentation URL of an aws_accounts.json group.
func awsAccountGroupURL(group string) string {
	switch group {
	case "CloudTrail Logs":
		return "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-supported-regions.html"
	case "ELB Logs":
		return "https://docs.aws.amazon.com/ElasticLoadBalancing/latest/DeveloperGuide/enable-access-logs.html"
	case "RedShift Logs":
		return "https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing.html"
	}
	return ""
}

// AWSAccounts returns the AWS-owned service accounts (spec/data/
// aws_accounts.json) as inactive third-party accounts, notes = the group's
// documentation URL, in file order. Each call returns a fresh slice.
func AWSAccounts() ([]monkey.Account, error) {
	var raw []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(awsAccountsJSON, &raw); err != nil {
		return nil, fmt.Errorf("parse aws accounts: %w", err)
	}
	out := make([]monkey.Account, 0, len(raw))
	for _, r := range raw {
		group, _, _ := strings.Cut(r.Name, " (")
		out = append(out, monkey.Account{
			Type:       "AWS",
			Identifier: r.ID,
			Name:       r.Name,
			Active:     false,
			ThirdParty: true,
			Notes:      awsAccountGroupURL(group),
		})
	}
	return out, nil
}
