package app

// coreCommands adds the core commands.
func coreCommands(t map[string]command) {}
