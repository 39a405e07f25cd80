package web

func (w *Web) settingsRoutes() []pageRoute { return nil }
func (w *Web) statusRoutes() []pageRoute   { return nil }
