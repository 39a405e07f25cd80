package dhcp

import (
	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/shape"
)

// stored: the id, then one string or list of strings per DHCP option.
var stored = shape.MapOf(shape.OneOrList(shape.String))

// Shape checks the stored shape of technologies.md A.30.
func Shape(cfg monkey.Config) error { return shape.Check(stored, cfg) }
