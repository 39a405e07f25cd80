package audit

// AccountShare is what a resource shares with other accounts through an
// attribute (an RDS snapshot's restore attribute, an AMI's launch
// permissions): the account ids it lists, where "all" means everyone, and
// whether the resource says it is public by another field.
type AccountShare struct {
	Accounts []any // account ids, "all", or whatever the config holds
	Public   bool
}

// AccountShareChecks are the four checks of a resource shared with
// accounts through an attribute (auditors.md §5.20 rdssnapshot, §5.21
// ec2image): Internet Accessible when shared with "all" or public, and
// Friendly / Thirdparty / Unknown for every other value. Unlike §2.4, the
// labels come straight from the account descriptions: an account described
// as friendly (the item's own account included) is FRIENDLY, one described
// as third party is THIRDPARTY, anything else — an undescribed id, or a
// value that is no account id at all — is UNKNOWN. singular names the
// resource in the action instructions (e.g. "EC2 Image"); action is the one
// action of the notes (e.g. "LaunchPermissions").
func AccountShareChecks(singular, action string, shared func(r *Run) AccountShare) []Check {
	actions := []string{action}
	// each calls fn for every shared value other than "all", with its
	// description when the value is a described account.
	each := func(r *Run, fn func(v string, info AccountInfo, described bool)) {
		for _, a := range shared(r).Accounts {
			id, isString := a.(string)
			if id == "all" {
				continue
			}
			info, ok := r.Ctx.Account(id)
			fn(PyRepr(a), info, isString && ok)
		}
	}
	labelled := func(v string, info AccountInfo) Entity {
		e := Entity{Category: "account", Value: v}
		e.Label(info.Identifier, info.Name)
		return e
	}
	return []Check{
		{Method: "check_internet_accessible", Run: func(r *Run) {
			s := shared(r)
			public := s.Public
			for _, a := range s.Accounts {
				public = public || a == "all"
			}
			if public {
				e := Entity{Category: "account", Value: "all"}
				r.RecordInternetAccess(10, PolicyNotes(e, actions), singular)
			}
		}},
		{Method: "check_friendly_cross_account", Run: func(r *Run) {
			each(r, func(v string, info AccountInfo, described bool) {
				if described && !info.ThirdParty {
					r.RecordFriendly(PolicyNotes(labelled(v, info), actions))
				}
			})
		}},
		{Method: "check_thirdparty_cross_account", Run: func(r *Run) {
			each(r, func(v string, info AccountInfo, described bool) {
				if described && info.ThirdParty {
					r.RecordThirdParty(PolicyNotes(labelled(v, info), actions))
				}
			})
		}},
		{Method: "check_unknown_cross_account", Run: func(r *Run) {
			each(r, func(v string, _ AccountInfo, described bool) {
				if !described {
					r.RecordUnknown(PolicyNotes(Entity{Category: "account", Value: v}, actions))
				}
			})
		}},
	}
}
