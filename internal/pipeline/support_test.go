package pipeline

import (
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
)

func TestSupportCache(t *testing.T) {
	var nilCache *supportCache
	nilCache.put("securitygroup", "k", []audit.Item{{ID: 1}})
	if _, ok := nilCache.get("securitygroup", "k"); ok {
		t.Fatal("a nil cache keeps nothing")
	}
	c := &supportCache{}
	items := []audit.Item{{ID: 1}, {ID: 2}}
	c.put("securitygroup", "k1", items)
	c.put("flowlog", "f1", []audit.Item{{ID: 3}})
	if got, ok := c.get("securitygroup", "k1"); !ok || len(got) != 2 {
		t.Fatalf("get with the same states: %v %v", got, ok)
	}
	if _, ok := c.get("securitygroup", "k2"); ok {
		t.Fatal("other support states must read the items again")
	}
	c.keepOnly(map[string]bool{"flowlog": true})
	if _, ok := c.get("securitygroup", "k1"); ok {
		t.Fatal("a technology no later auditor reads is dropped")
	}
	if _, ok := c.get("flowlog", "f1"); !ok {
		t.Fatal("a technology a later auditor reads is kept")
	}
}
