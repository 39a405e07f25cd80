package monkey

// Roles form a chain (api.md §1.1): a route allowed to a role is allowed to
// every role above it.
const (
	RoleAnonymous = "anonymous"
	RoleView      = "View"
	RoleComment   = "Comment"
	RoleJustify   = "Justify"
	RoleAdmin     = "Admin"
)

// UserRoles are the roles a user can hold, lowest first.
var UserRoles = []string{RoleView, RoleComment, RoleJustify, RoleAdmin}

// RoleRank orders roles: anonymous 0, View 1 … Admin 4; -1 for an unknown
// role.
func RoleRank(role string) int {
	switch role {
	case RoleAnonymous:
		return 0
	case RoleView:
		return 1
	case RoleComment:
		return 2
	case RoleJustify:
		return 3
	case RoleAdmin:
		return 4
	}
	return -1
}

// ValidRole reports whether role is one a user can hold.
func ValidRole(role string) bool { return RoleRank(role) > 0 }

// HasRole reports whether a holder of role have may do what need allows.
func HasRole(have, need string) bool {
	h, n := RoleRank(have), RoleRank(need)
	return h >= 0 && n >= 0 && h >= n
}

// RolesBelow returns role followed by the roles below it, highest first
// (the `roles` list of the API's auth block).
func RolesBelow(role string) []string {
	r := RoleRank(role)
	var out []string
	for i := len(UserRoles) - 1; i >= 0; i-- {
		if RoleRank(UserRoles[i]) <= r {
			out = append(out, UserRoles[i])
		}
	}
	return out
}
