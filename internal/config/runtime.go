package config

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Runtime configures the long-running processes (scheduler, worker, api,
// all): the settings that were read from the environment only. Each is a
// settings-file key and a MONKEY_ environment variable (which wins).
type Runtime struct {
	// APIToken is the bearer token of POST /api/1/scans ("" = closed).
	APIToken Secret `json:"api_token"`
	// SchedulerLeaseTTL is the leader lease: a standby takes over within
	// lease + tick of the leader's death.
	SchedulerLeaseTTL time.Duration `json:"scheduler_lease_ttl"`
	// SchedulerTick is how often the scheduler looks for due scans
	// (default a third of the lease).
	SchedulerTick time.Duration `json:"scheduler_tick"`
	// ShutdownGrace is how long a stopping worker lets tasks finish before
	// handing them back to the queue.
	ShutdownGrace time.Duration `json:"shutdown_grace"`
	// RetryDelay is the first backoff of a failed task (doubling, at most
	// 5 minutes).
	RetryDelay time.Duration `json:"retry_delay"`
	// TaskLease is how long a task whose worker stopped (kill -9, crash,
	// lost host) stays with it: another worker runs it within two leases.
	// It is also the lifetime of the scan locks the task holds.
	TaskLease time.Duration `json:"task_lease"`
	// ClockScale makes the scheduler's clock run N times faster from
	// ClockRef: a testing and demo aid to see several intervals pass
	// (0 = real time).
	ClockScale float64   `json:"scheduler_clock_scale,omitempty"`
	ClockRef   time.Time `json:"scheduler_clock_ref,omitzero"`

	tickSet bool // scheduler_tick given: not derived from the lease
}

// MinTaskLease is the shortest task lease: the broker extends the lease of
// a running task every 5 seconds, and a lease must outlast a few missed
// extensions of a busy but live worker.
const MinTaskLease = 10 * time.Second

func defaultRuntime() Runtime {
	return Runtime{
		SchedulerLeaseTTL: 30 * time.Second,
		SchedulerTick:     10 * time.Second,
		ShutdownGrace:     30 * time.Second,
		RetryDelay:        10 * time.Second,
		TaskLease:         30 * time.Second,
	}
}

// runtimeSetting is one setting of the Runtime section.
type runtimeSetting struct {
	key string
	env string
	set func(v string) error
}

func (r *Runtime) settings() []runtimeSetting {
	dur := func(dst *time.Duration) func(string) error {
		return func(s string) error {
			d, err := time.ParseDuration(strings.TrimSpace(s))
			if err != nil || d <= 0 {
				return fmt.Errorf("%q is not a positive duration (30s, 2m)", s)
			}
			*dst = d
			return nil
		}
	}
	return []runtimeSetting{
		{"api_token", "MONKEY_API_TOKEN", func(s string) error { r.APIToken = Secret(s); return nil }},
		{"scheduler_lease_ttl", "MONKEY_SCHEDULER_LEASE_TTL", dur(&r.SchedulerLeaseTTL)},
		{"scheduler_tick", "MONKEY_SCHEDULER_TICK", func(s string) error { r.tickSet = true; return dur(&r.SchedulerTick)(s) }},
		{"shutdown_grace", "MONKEY_SHUTDOWN_GRACE", dur(&r.ShutdownGrace)},
		{"retry_delay", "MONKEY_RETRY_DELAY", dur(&r.RetryDelay)},
		{"task_lease", "MONKEY_TASK_LEASE", dur(&r.TaskLease)},
		{"scheduler_clock_scale", "MONKEY_SCHEDULER_CLOCK_SCALE", func(s string) error {
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || x < 1 || x > 3600 {
				return fmt.Errorf("%q is not a number between 1 and 3600", s)
			}
			r.ClockScale = x
			return nil
		}},
		{"scheduler_clock_ref", "MONKEY_SCHEDULER_CLOCK_REF", func(s string) error {
			t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
			if err != nil {
				return fmt.Errorf("%q is not an RFC 3339 time", s)
			}
			r.ClockRef = t
			return nil
		}},
	}
}

// set applies a settings-file value; ok is false for a key of another
// section.
func (r *Runtime) set(key string, v any) (ok bool, err error) {
	i := slices.IndexFunc(r.settings(), func(s runtimeSetting) bool { return s.key == key })
	if i < 0 {
		return false, nil
	}
	if err := r.settings()[i].set(stringOf(v)); err != nil {
		return true, fmt.Errorf("%s: %w", key, err)
	}
	return true, nil
}

// fromEnv applies the environment.
func (r *Runtime) fromEnv(getenv func(string) string) error {
	var errs []error
	for _, s := range r.settings() {
		if v := getenv(s.env); v != "" {
			if err := s.set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s (%s): %w", s.key, s.env, err))
			}
		}
	}
	return errors.Join(errs...)
}

// resolve fills the derived defaults (the tick from the lease, the clock
// reference from now).
func (r *Runtime) resolve(now time.Time) {
	if !r.tickSet {
		r.SchedulerTick = r.SchedulerLeaseTTL / 3
	}
	if r.ClockScale > 1 && r.ClockRef.IsZero() {
		r.ClockRef = now.UTC().Truncate(time.Second)
	}
}

func (r Runtime) validate() error {
	var errs []error
	if r.TaskLease < MinTaskLease {
		errs = append(errs, fmt.Errorf("task_lease (MONKEY_TASK_LEASE): %s is shorter than the minimum %s", r.TaskLease, MinTaskLease))
	}
	if r.SchedulerTick > r.SchedulerLeaseTTL {
		errs = append(errs, fmt.Errorf("scheduler_tick (%s) must not exceed scheduler_lease_ttl (%s)", r.SchedulerTick, r.SchedulerLeaseTTL))
	}
	return errors.Join(errs...)
}

// SchedulerClock is the scheduler's clock: time.Now, or one running
// ClockScale times faster from ClockRef.
func (r Runtime) SchedulerClock() func() time.Time {
	if r.ClockScale <= 1 {
		return time.Now
	}
	ref, scale := r.ClockRef, r.ClockScale
	return func() time.Time {
		return ref.Add(time.Duration(float64(time.Since(ref)) * scale))
	}
}

// RetryBackoff is the delay before retry n (1-based): RetryDelay doubling,
// at most 5 minutes.
func (r Runtime) RetryBackoff(n int) time.Duration {
	base := r.RetryDelay
	if base <= 0 {
		base = 10 * time.Second
	}
	n = min(max(n, 1), 10)
	return min(base<<(n-1), 5*time.Minute)
}
