package audit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/secmonkey/monkey/internal/monkey"
)

// RunFile audits one config for `monkey audit-file`: it builds a Context
// from in plus the embedded AWS-owned accounts (third party), audits a
// pseudo item of account in.AccountNumber/in.AccountName with every
// auditor of tech (restricted to the check ids in only, when non-empty) and
// returns the findings sorted by text, notes, score. Unknown technologies
// and check ids are errors naming the valid ones.
func RunFile(reg *Registry, tech string, cfg monkey.Config, in ContextInput, only []string) ([]Finding, error) {
	auditors := reg.For(tech)
	if len(auditors) == 0 {
		return nil, fmt.Errorf("audit-file: no auditor for technology %q (known: %s)", tech, strings.Join(reg.Technologies(), ", "))
	}
	var onlySet map[string]bool
	if len(only) > 0 {
		valid := map[string]bool{}
		var ids []string
		for _, a := range auditors {
			for _, c := range a.Checks() {
				if !valid[c.ID] {
					valid[c.ID] = true
					ids = append(ids, c.ID)
				}
			}
		}
		sort.Strings(ids)
		onlySet = map[string]bool{}
		var bad []string
		for _, id := range only {
			if !valid[id] {
				bad = append(bad, id)
			}
			onlySet[id] = true
		}
		if len(bad) > 0 {
			return nil, fmt.Errorf("audit-file: unknown check id(s) %s for %s (valid: %s)", strings.Join(bad, ", "), tech, strings.Join(ids, ", "))
		}
	}
	ctx, err := fileContext(in)
	if err != nil {
		return nil, err
	}
	item := Item{
		Account:    monkey.Account{Type: "AWS", Identifier: in.AccountNumber, Name: in.AccountName, Active: true},
		Technology: tech,
		Config:     cfg,
	}
	if name, ok := cfg["Name"].(string); ok {
		item.Name = name
	}
	env := &Env{Context: ctx, Only: onlySet}
	var out []Finding
	for _, a := range auditors {
		out = append(out, a.Audit(item, env)...)
	}
	SortFindings(out)
	return out, nil
}

func fileContext(in ContextInput) (*Context, error) {
	aws, err := AWSAccounts()
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, r := range in.FriendlyAccounts {
		known[r.ID] = true
	}
	for _, r := range in.ThirdPartyAccounts {
		known[r.ID] = true
	}
	in2 := in
	in2.ThirdPartyAccounts = append([]AccountRef(nil), in.ThirdPartyAccounts...)
	for _, a := range aws {
		if !known[a.Identifier] && a.Identifier != in.AccountNumber {
			in2.ThirdPartyAccounts = append(in2.ThirdPartyAccounts, AccountRef{ID: a.Identifier, Name: a.Name})
		}
	}
	ctx, err := NewContext(in2)
	if err != nil {
		return nil, fmt.Errorf("audit-file: context: %w", err)
	}
	return ctx, nil
}
