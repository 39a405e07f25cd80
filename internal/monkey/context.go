package monkey

import "context"

type contextKey int

const userKey contextKey = iota

// NewContextWithUser returns ctx carrying the signed-in user of a request.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// UserFromContext returns the signed-in user, or nil for an anonymous
// caller.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey).(*User)
	return u
}

// UserIDFromContext returns the id of the signed-in user, 0 when anonymous.
func UserIDFromContext(ctx context.Context) int64 {
	if u := UserFromContext(ctx); u != nil {
		return u.ID
	}
	return 0
}

// RoleFromContext returns the role of the caller, RoleAnonymous when no
// user is signed in.
func RoleFromContext(ctx context.Context) string {
	if u := UserFromContext(ctx); u != nil {
		return u.Role
	}
	return RoleAnonymous
}
