package app

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/secmonkey/monkey/internal/monkey"
)

// regionSuffix matches the "(us-east-1)" ending of the AWS-owned accounts'
// names ("ELB Logs (us-east-1)").
var regionSuffix = regexp.MustCompile(`\((?:[a-z]+-)+[0-9]\)$`)

func cmdAccount(ctx context.Context, a *App, args []string) error {
	if len(args) == 0 {
		return usagef("account: want add, list, update or remove")
	}
	switch args[0] {
	case "add":
		return accountAdd(ctx, a, args[1:])
	case "update":
		return accountUpdate(ctx, a, args[1:])
	case "list", "ls":
		return accountList(ctx, a, args[1:])
	case "remove", "rm":
		return accountRemove(ctx, a, args[1:])
	}
	return usagef("account: unknown subcommand %q (want add, list, update or remove)", args[0])
}

type accountFlags struct {
	name, id, roleName, externalID, notes, s3Name, canonicalID *string
	thirdParty, inactive                                       *bool
}

func newAccountFlags(name string, a *App) (*flag.FlagSet, accountFlags) {
	fs := newFlags(name, a.Stderr)
	f := accountFlags{
		name:        fs.String("name", "", "account name (unique)"),
		id:          fs.String("id", "", "AWS account number (12 digits)"),
		roleName:    fs.String("role-name", "", "role to assume (default SecurityMonkey)"),
		externalID:  fs.String("external-id", "", "external id for AssumeRole"),
		notes:       fs.String("notes", "", "free text"),
		s3Name:      fs.String("s3-name", "", "legacy S3 grantee name of the account"),
		canonicalID: fs.String("canonical-id", "", "S3 canonical user id of the account"),
		thirdParty:  fs.Bool("third-party", false, "a known account that is not watched"),
		inactive:    fs.Bool("inactive", false, "do not scan the account"),
	}
	return fs, f
}

func (f accountFlags) apply(acct *monkey.Account, set map[string]bool) {
	if set["name"] {
		acct.Name = *f.name
	}
	if set["id"] {
		acct.Identifier = *f.id
	}
	if set["notes"] {
		acct.Notes = *f.notes
	}
	if set["third-party"] {
		acct.ThirdParty = *f.thirdParty
	}
	if set["inactive"] {
		acct.Active = !*f.inactive
	}
	if acct.Custom == nil {
		acct.Custom = map[string]string{}
	}
	for flagName, field := range map[string]struct {
		key string
		val *string
	}{
		"role-name": {monkey.FieldRoleName, f.roleName}, "external-id": {monkey.FieldExternalID, f.externalID},
		"s3-name": {monkey.FieldS3Name, f.s3Name}, "canonical-id": {monkey.FieldCanonicalID, f.canonicalID},
	} {
		if !set[flagName] {
			continue
		}
		if *field.val == "" {
			delete(acct.Custom, field.key)
		} else {
			acct.Custom[field.key] = *field.val
		}
	}
}

// validateAccount checks the account the flags describe
// (monkey.Account.Validate); bad input is a usage error.
func validateAccount(acct monkey.Account) error {
	if acct.Name == "" {
		return usagef("account: --name is required")
	}
	if err := acct.Validate(); err != nil {
		return usageError{printable(err.Error())}
	}
	return nil
}

func accountAdd(ctx context.Context, a *App, args []string) error {
	if len(args) == 0 || args[0] != "aws" {
		return usagef("account add: only the account type aws is supported: monkey account add aws --name NAME --id ACCOUNT_ID")
	}
	fs, f := newAccountFlags("account add aws", a)
	if _, err := parseInterspersed(fs, args[1:]); err != nil {
		return err
	}
	acct := monkey.Account{Type: "AWS", Active: true}
	f.apply(&acct, visited(fs))
	if err := validateAccount(acct); err != nil {
		return err
	}
	s, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	if err := s.CreateAccount(ctx, &acct); err != nil {
		return fmt.Errorf("add account %s: %w", acct.Name, err)
	}
	fmt.Fprintf(a.Stdout, "added AWS account %s (%s), id %d\n", printable(acct.Name), printable(acct.Identifier), acct.ID)
	return nil
}

func accountUpdate(ctx context.Context, a *App, args []string) error {
	fs, f := newAccountFlags("account update", a)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("account update: give the current account name: monkey account update NAME [--name NEW] [--inactive=false] …")
	}
	s, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	acct, err := s.AccountByName(ctx, pos[0])
	if err != nil {
		return fmt.Errorf("account %s: %w", pos[0], err)
	}
	f.apply(&acct, visited(fs))
	if err := validateAccount(acct); err != nil {
		return err
	}
	if err := s.UpdateAccount(ctx, acct); err != nil {
		return fmt.Errorf("update account %s: %w", pos[0], err)
	}
	fmt.Fprintf(a.Stdout, "updated account %s\n", printable(acct.Name))
	return nil
}

func accountRemove(ctx context.Context, a *App, args []string) error {
	fs := newFlags("account remove", a.Stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("account remove: give one account name")
	}
	s, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	acct, err := s.AccountByName(ctx, pos[0])
	if err != nil {
		return fmt.Errorf("account %s: %w", pos[0], err)
	}
	if err := s.DeleteAccount(ctx, acct.ID); err != nil {
		return fmt.Errorf("remove account %s: %w", pos[0], err)
	}
	fmt.Fprintf(a.Stdout, "removed account %s and its items\n", printable(acct.Name))
	return nil
}

type accountJSON struct {
	ID         int64             `json:"id"`
	Name       string            `json:"name"`
	Identifier string            `json:"identifier"`
	Type       string            `json:"account_type"`
	Active     bool              `json:"active"`
	ThirdParty bool              `json:"third_party"`
	Notes      string            `json:"notes"`
	Custom     map[string]string `json:"custom_fields"`
}

func accountList(ctx context.Context, a *App, args []string) error {
	fs := newFlags("account list", a.Stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	all := fs.Bool("all", false, "include the AWS-owned third-party accounts")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	s, err := a.Store(ctx, false)
	if err != nil {
		return err
	}
	accts, err := s.ListAccounts(ctx)
	if err != nil {
		return err
	}
	out := []accountJSON{}
	for _, ac := range accts {
		if !*all && ac.ThirdParty && !ac.Active && isAWSOwned(ac) {
			continue
		}
		custom := ac.Custom
		if custom == nil {
			custom = map[string]string{}
		}
		out = append(out, accountJSON{ac.ID, ac.Name, ac.Identifier, ac.Type, ac.Active, ac.ThirdParty, ac.Notes, custom})
	}
	if *asJSON {
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tIDENTIFIER\tTYPE\tACTIVE\tTHIRD PARTY\tROLE")
	for _, ac := range out {
		role := ac.Custom[monkey.FieldRoleName]
		if role == "" {
			role = monkey.DefaultRoleName
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%t\t%s\n", printable(ac.Name), printable(ac.Identifier), printable(ac.Type),
			ac.Active, ac.ThirdParty, printable(role))
	}
	return tw.Flush()
}

// isAWSOwned reports whether an account is one of the loaded AWS-owned
// service accounts (their notes are the AWS documentation URL).
func isAWSOwned(ac monkey.Account) bool {
	return strings.HasPrefix(ac.Notes, "https://") && regionSuffix.MatchString(ac.Name)
}
