package notify

import (
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
)

// SampleChangeReport is a change report of made-up changes (monkey notify
// test, the golden files).
func SampleChangeReport(links Links) *ChangeReport {
	acct := monkey.Account{ID: 1, Name: "prod", Identifier: "123456789012", Type: "AWS"}
	sg := TechChanges{Index: "securitygroup", Singular: "Security Group", Plural: "Security Groups",
		NewCount: 1, ChangedCount: 1, DeletedCount: 2, URL: links.Items("prod", "securitygroup"),
		New: []ReportItem{{ID: 7, Change: "new", Region: "us-east-1", Name: "web <public>", URL: links.Item(7),
			ARN:  "arn:aws:ec2:us-east-1:123456789012:security-group/sg-7",
			New:  []IssueLine{{Score: 10, Text: "Internet Accessible", Notes: "Entity: [cidr:0.0.0.0/0] Actions: [\"tcp:22\"]"}},
			Diff: ConfigDiff(nil, []byte(`{"GroupName":"web","Rules":[{"cidr":"0.0.0.0/0","port":22}]}`))}},
		Changed: []ReportItem{{ID: 8, Change: "changed", Region: "eu-west-1", Name: "db", URL: links.Item(8),
			Fixed:    []IssueLine{{Score: 5, Text: "Internal Network Accessible"}},
			Existing: []IssueLine{{Score: 3, Text: "Unused Security Group", Justified: true, Justification: "kept for DR"}},
			Diff: ConfigDiff([]byte(`{"GroupName":"db","Rules":[{"cidr":"10.0.0.0/8","port":5432}],"Tags":{"env":"prod"}}`),
				[]byte(`{"GroupName":"db","Rules":[{"cidr":"10.1.0.0/16","port":5432}],"Tags":{"env":"prod"}}`))}},
		Deleted: []ReportItem{{ID: 9, Change: "deleted", Region: "us-east-1", Name: "old", URL: links.Item(9),
			Diff: ConfigDiff([]byte(`{"GroupName":"old"}`), nil)}},
	}
	role := TechChanges{Index: "iamrole", Singular: "IAM Role", Plural: "IAM Roles", ChangedCount: 1,
		URL: links.Items("prod", "iamrole"),
		Changed: []ReportItem{{ID: 3, Change: "changed", Region: "universal", Name: "admin", URL: links.Item(3),
			Existing: []IssueLine{{Score: 10, Text: "Unknown Access", Notes: "Account: [999999999999]"}},
			Diff:     ConfigDiff([]byte(`{"Path":"/","RoleName":"admin","Tags":{}}`), []byte(`{"Path":"/","RoleName":"admin","Tags":{"team":"sec"}}`))}},
	}
	return &ChangeReport{Account: acct, ScannedAt: time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC),
		Technologies: []TechChanges{role, sg}, New: 1, Changed: 2, Deleted: 2, Shown: 4, NewIssues: 1, FixedIssues: 1,
		HasNewIssue: true, HasIssues: true, HasUnjustified: true, URL: links.Items("prod", "")}
}
