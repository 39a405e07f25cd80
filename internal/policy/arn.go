package policy

import (
	"errors"
	"regexp"
)

// The patterns of auditors.md §3.2, reproduced as written (including the
// unescaped dots of rows 3 and 4).
var (
	arnRe      = regexp.MustCompile(`^arn:([^:]*):([^:]*):([^:]*):(|\*|[0-9]{12}|cloudfront|aws):(.+)$`)
	accountRe  = regexp.MustCompile(`^([0-9]{12})+$`)
	serviceRe  = regexp.MustCompile(`^(([^.]+)(.[^.]+)?)\.amazon(aws)?\.com$`)
	internalRe = regexp.MustCompile(`^([^.]+).aws.internal$`)
)

// ErrARN is returned for strings that are neither an ARN, an account number
// nor a service principal.
var ErrARN = errors.New("could not parse arn")

// ARN is a parsed ARN or principal string (auditors.md §3.2).
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string // "", "*", 12 digits, "cloudfront" or "aws"
	Resource  string
	// Root is set for arn:…:iam::<account>:root.
	Root bool
	// IsService is set for service principals (ec2.amazonaws.com).
	IsService bool
}

// ParseARN parses s by the rules of §3.2 (first match wins).
func ParseARN(s string) (ARN, error) {
	if m := arnRe.FindStringSubmatch(s); m != nil {
		a := ARN{Partition: m[1], Service: m[2], Region: m[3], Account: m[4], Resource: m[5]}
		a.Root = a.Service == "iam" && a.Resource == "root"
		return a, nil
	}
	if accountRe.MatchString(s) {
		return ARN{Account: s}, nil
	}
	if m := serviceRe.FindStringSubmatch(s); m != nil {
		return ARN{Service: m[1], IsService: true}, nil
	}
	if m := internalRe.FindStringSubmatch(s); m != nil {
		return ARN{Service: m[1], IsService: true}, nil
	}
	return ARN{}, ErrARN
}

// IsOpenARN is the ARN rule of §3.6: whether the principal/ARN string s
// admits anybody.
func IsOpenARN(s string) bool {
	if s == "*" {
		return true
	}
	a, err := ParseARN(s)
	if err != nil {
		return containsStar(s)
	}
	if a.Service == "s3" {
		return false
	}
	if a.Account == "" && !a.IsService {
		return true
	}
	return a.Account == "*"
}

func containsStar(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' {
			return true
		}
	}
	return false
}
