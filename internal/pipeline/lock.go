package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/secmonkey/monkey/internal/monkey"
	"github.com/secmonkey/monkey/internal/store"
)

// BusyError reports that another scan holds a pair a scan needs (it is
// writing it now). It wraps monkey.ErrScanRunning.
type BusyError struct {
	Account string // account name
	Lock    store.ScanLock
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("a scan of %s/%s is already running: %s", e.Account, e.Lock.Technology, e.Lock)
}

func (e *BusyError) Unwrap() error { return monkey.ErrScanRunning }

type pair struct {
	accountID  int64
	technology string
}

// lockPoll is how often a waiting scan tries the pairs it waits for again.
const lockPoll = 500 * time.Millisecond

// lease is the set of scan locks one scan (a task, a find-changes run) holds
// under one fencing token, renewed every LockTTL/3 until released. When a
// renewal finds fewer locks than were taken (the scan stalled past the TTL
// and another scan took some over), the scan's context is cancelled with
// store.ErrLockLost; its writes are refused anyway by the fence.
type lease struct {
	p     *Pipeline
	owner store.LockOwner
	fence store.Fence

	mu     sync.Mutex // serialises taking and renewing, so counts agree
	held   map[pair]bool
	cancel context.CancelCauseFunc
	stop   chan struct{}
	done   chan struct{}
}

// newLease returns a lease holding nothing yet and the context the scan
// runs in (cancelled when the lease is lost or released).
func (p *Pipeline) newLease(ctx context.Context) (*lease, context.Context) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	host, _ := os.Hostname()
	owner := store.LockOwner{Owner: p.opts.Owner, Host: host, PID: os.Getpid()}
	owner.Holder = fmt.Sprintf("%s:%d:%s", host, owner.PID, hex.EncodeToString(b[:]))
	lctx, cancel := context.WithCancelCause(ctx)
	l := &lease{p: p, owner: owner, fence: store.Fence{Holder: owner.Holder}, held: map[pair]bool{},
		cancel: cancel, stop: make(chan struct{}), done: make(chan struct{})}
	go l.renew(lctx)
	return l, lctx
}

// try takes the locks of techs on an account, all or none, without waiting.
func (l *lease) try(ctx context.Context, accountID int64, techs []string) (bool, store.ScanLock, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ok, held, err := l.p.opts.Store.TryLockScans(ctx, accountID, techs, l.owner, l.p.opts.LockTTL)
	if ok {
		for _, t := range techs {
			l.held[pair{accountID, t}] = true
		}
	}
	return ok, held, err
}

// wait is try, repeated until deadline; onWait is told once when the wait
// starts.
func (l *lease) wait(ctx context.Context, account monkey.Account, techs []string, deadline time.Time, onWait func(store.ScanLock)) (bool, store.ScanLock, error) {
	ok, held, err := l.try(ctx, account.ID, techs)
	if ok || err != nil || !time.Now().Before(deadline) {
		return ok, held, err
	}
	if onWait != nil {
		onWait(held)
	}
	for !ok && err == nil {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		t := time.NewTimer(min(lockPoll, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return false, held, context.Cause(ctx)
		case <-t.C:
		}
		ok, held, err = l.try(ctx, account.ID, techs)
	}
	return ok, held, err
}

func (l *lease) renew(ctx context.Context) {
	defer close(l.done)
	t := time.NewTicker(l.p.opts.LockTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		l.mu.Lock()
		want := len(l.held)
		n, err := 0, error(nil)
		if want > 0 {
			n, err = l.p.opts.Store.RenewScanLocks(ctx, l.owner.Holder, l.p.opts.LockTTL)
		}
		l.mu.Unlock()
		switch {
		case err != nil:
			// A database hiccup: try again at the next tick; if the locks
			// expire meanwhile, the fence refuses the writes.
			l.p.log.Warn("renew scan locks failed", "holder", l.owner.Holder, "error", err)
		case n < want:
			l.p.log.Error("scan locks lost: the scan stalled longer than the lock ttl and another scan took them over",
				"holder", l.owner.Holder, "held", n, "taken", want, "lock_ttl", l.p.opts.LockTTL)
			l.cancel(fmt.Errorf("%w: %d of %d pairs taken over by another scan (this one stalled longer than the lock ttl %s)",
				store.ErrLockLost, want-n, want, l.p.opts.LockTTL))
			return
		}
	}
}

// release stops renewing and gives every lock up (even when ctx is done).
func (l *lease) release() {
	close(l.stop)
	<-l.done
	l.mu.Lock()
	held := len(l.held)
	l.mu.Unlock()
	if held > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := l.p.opts.Store.ReleaseScanLocks(ctx, l.owner.Holder); err != nil {
			// They expire after LockTTL.
			l.p.log.Warn("release scan locks failed", "holder", l.owner.Holder, "error", err)
		}
	}
	l.cancel(context.Canceled)
}

// lost returns the lock-loss cause of ctx, if any.
func lost(ctx context.Context) error {
	if err := context.Cause(ctx); errors.Is(err, store.ErrLockLost) {
		return err
	}
	return nil
}
