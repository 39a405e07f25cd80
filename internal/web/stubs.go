package web

func (w *Web) statusRoutes() []pageRoute   { return nil }
