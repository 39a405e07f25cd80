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
	account := monkey.Account{Type: "AWS", Identifier: in.AccountNumber, Name: in.AccountName, Active: true}
	support, err := fileSupport(auditors, tech, account, in.SupportItems)
	if err != nil {
		return nil, err
	}
	item := Item{
		Account:    account,
		Technology: tech,
		Config:     cfg,
	}
	if name, ok := cfg["Name"].(string); ok {
		item.Name = name
	}
	env := &Env{Context: ctx, Only: onlySet, Support: support}
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

// fileSupport turns the context's supporting items into support items of
// account (ids 1, 2, … in the order given). A technology the auditors of
// tech do not read is an error naming those they do.
func fileSupport(auditors []Auditor, tech string, account monkey.Account, in map[string][]SupportItemInput) (map[string][]Item, error) {
	if len(in) == 0 {
		return nil, nil
	}
	var reads []string
	for _, a := range auditors {
		for _, s := range a.Support() {
			if !hasExact(reads, s) {
				reads = append(reads, s)
			}
		}
	}
	sort.Strings(reads)
	techs := make([]string, 0, len(in))
	for t := range in {
		techs = append(techs, t)
	}
	sort.Strings(techs)
	out := map[string][]Item{}
	var id int64
	for _, t := range techs {
		if !hasExact(reads, t) {
			want := "none"
			if len(reads) > 0 {
				want = strings.Join(reads, ", ")
			}
			return nil, fmt.Errorf("audit-file: support_items: %s reads no %s items (it reads: %s)", tech, t, want)
		}
		for k, s := range in[t] {
			if s.Config == nil {
				return nil, fmt.Errorf("audit-file: support_items.%s[%d] (%q): no config", t, k, s.Name)
			}
			id++
			it := Item{ID: id, Account: account, Technology: t, Region: s.Region, Name: s.Name, ARN: s.ARN, Config: s.Config}
			for j, i := range s.Issues {
				if i.Issue == "" {
					return nil, fmt.Errorf("audit-file: support_items.%s[%d].issues[%d]: no issue text", t, k, j)
				}
				it.Issues = append(it.Issues, monkey.Issue{ID: int64(j + 1), ItemID: id, Text: i.Issue, Score: i.Score, Notes: i.Notes})
			}
			out[t] = append(out[t], it)
		}
	}
	return out, nil
}
