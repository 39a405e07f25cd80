package pipeline

// AuditChunk sets how many items an audit reads at once, so that tests
// exercise several chunks with few items.
func AuditChunk(n int) func(*Options) {
	return func(o *Options) { o.auditChunk = n }
}

// WholeSupport keeps every field of the support configs (decision 125
// off), for tests comparing the audits with and without it.
func WholeSupport() func(*Options) {
	return func(o *Options) { o.wholeSupport = true }
}
