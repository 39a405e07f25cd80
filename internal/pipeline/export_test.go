package pipeline

// AuditChunk sets how many items an audit reads at once, so that tests
// exercise several chunks with few items.
func AuditChunk(n int) func(*Options) {
	return func(o *Options) { o.auditChunk = n }
}
