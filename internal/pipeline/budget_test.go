package pipeline

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestItemBudget(t *testing.T) {
	b := newItemBudget(150_000)
	ctx := context.Background()

	// Small tasks reserve at least minReservation and run side by side.
	var small []func()
	for range 150_000 / minReservation {
		r, err := b.acquire(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		small = append(small, r)
	}
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if _, err := b.acquire(short, 0); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("budget full of small tasks: acquire = %v, want a wait", err)
	}
	for _, r := range small {
		r()
	}

	// Two technologies of 100,000 items: the second waits for the first.
	first, err := b.acquire(ctx, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan func())
	go func() {
		r, err := b.acquire(ctx, 100_000)
		if err != nil {
			t.Error(err)
		}
		got <- r
	}()
	select {
	case <-got:
		t.Fatal("second large task reserved while the first holds its items")
	case <-time.After(20 * time.Millisecond):
	}
	first()
	(<-got)()

	// A technology larger than the whole budget still runs (alone).
	huge, err := b.acquire(ctx, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	huge()
}
