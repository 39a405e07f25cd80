package app

// runtimeCommands adds the distributed-runtime commands (api, scheduler,
// worker, all, status, enqueue).
func runtimeCommands(t map[string]command) {}
