package pipeline

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/secmonkey/monkey/internal/audit"
)

func TestSupportCache(t *testing.T) {
	reads := 0
	reader := func(items ...audit.Item) func() ([]audit.Item, error) {
		return func() ([]audit.Item, error) { reads++; return items, nil }
	}
	load := func(c *supportCache, tech, key string, items ...audit.Item) []audit.Item {
		t.Helper()
		got, err := c.load(tech, key, reader(items...))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	var nilCache *supportCache
	load(nilCache, "securitygroup", "k", audit.Item{ID: 1})
	load(nilCache, "securitygroup", "k", audit.Item{ID: 1})
	if reads != 2 {
		t.Fatalf("a nil cache keeps nothing: %d reads", reads)
	}

	reads = 0
	c := &supportCache{}
	load(c, "securitygroup", "k1", audit.Item{ID: 1}, audit.Item{ID: 2})
	load(c, "flowlog", "f1", audit.Item{ID: 3})
	if got := load(c, "securitygroup", "k1"); len(got) != 2 || reads != 2 {
		t.Fatalf("load with the same states: %v, %d reads", got, reads)
	}
	if got := load(c, "securitygroup", "k2", audit.Item{ID: 4}); len(got) != 1 || got[0].ID != 4 || reads != 3 {
		t.Fatalf("other support states must read the items again: %v, %d reads", got, reads)
	}
	load(c, "securitygroup", "k2")
	if reads != 3 {
		t.Fatalf("the new states are kept: %d reads", reads)
	}
	c.keepOnly(map[string]bool{"flowlog": true})
	load(c, "securitygroup", "k2", audit.Item{ID: 4})
	if reads != 4 {
		t.Fatal("a technology no auditor left reads is dropped")
	}
	load(c, "flowlog", "f1")
	if reads != 4 {
		t.Fatal("a technology an auditor left reads is kept")
	}
	if _, err := c.load("vpc", "v1", func() ([]audit.Item, error) { return nil, errors.New("disk") }); err == nil {
		t.Fatal("a failed read is returned")
	}
	load(c, "vpc", "v1", audit.Item{ID: 5})
	if reads != 5 {
		t.Fatal("a failed read is not kept")
	}
}

// TestSupportCacheReadsOnceAtOnce: technologies audited side by side that
// read the same support items wait for one read instead of decoding them
// twice at once.
func TestSupportCacheReadsOnceAtOnce(t *testing.T) {
	c := &supportCache{}
	var reads atomic.Int32
	entered, release := make(chan struct{}, 4), make(chan struct{})
	var wg sync.WaitGroup
	loader := func() {
		items, err := c.load("securitygroup", "k", func() ([]audit.Item, error) {
			reads.Add(1)
			entered <- struct{}{}
			<-release
			return []audit.Item{{ID: 1}}, nil
		})
		if err != nil || len(items) != 1 {
			t.Errorf("load: %v %v", items, err)
		}
	}
	wg.Go(loader)
	<-entered // the first read is under way
	for range 3 {
		wg.Go(loader)
	}
	// Give the others every chance to start a read of their own (they
	// must wait instead); a correct cache passes however long this is.
	for range 1000 {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Fatalf("%d reads of the same support items, want 1", n)
	}
}
