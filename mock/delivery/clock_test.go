package delivery

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestVirtualClockFiresTimersOnlyWhenMoved(t *testing.T) {
	t.Parallel()
	c := NewVirtualClock(t0)
	early, late, stopped := c.NewTimer(time.Second), c.NewTimer(time.Hour), c.NewTimer(time.Second)
	called := make(chan struct{})
	c.AfterFunc(2*time.Second, func() { close(called) })
	if !stopped.Stop() || stopped.Stop() {
		t.Error("Stop should report true once, then false")
	}
	select {
	case <-early.C():
		t.Fatal("a timer fired before the clock moved")
	default:
	}
	c.set(t0.Add(2 * time.Second))
	if got := <-early.C(); !got.Equal(t0.Add(2 * time.Second)) {
		t.Errorf("timer fired with %s", got)
	}
	<-called
	select {
	case <-late.C():
		t.Error("the one-hour timer fired after two seconds")
	case <-stopped.C():
		t.Error("a stopped timer fired")
	default:
	}
	c.set(t0) // never backwards
	if !c.Now().Equal(t0.Add(2 * time.Second)) {
		t.Errorf("clock went back to %s", c.Now())
	}
	if fired := c.NewTimer(0); len(fired.C()) != 1 {
		t.Error("a zero timer did not fire at once")
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	t.Parallel()
	hooks := newHooks()
	for _, c := range []struct {
		opts Config
		want string
	}{
		{Config{}, "Config.Hooks is required"},
		{Config{Hooks: hooks, Timing: "slow"}, `timing "slow"`},
		{Config{Hooks: hooks, Timing: TimingVirtual, Clock: RealClock{}}, "timing virtual needs a *VirtualClock"},
		{Config{Hooks: hooks, Timing: TimingKeap, Clock: NewVirtualClock(t0)}, "timing keap runs on a real clock"},
		{Config{Hooks: hooks, Policy: Policy{MaxAttempts: 2}}, "delivery policy: a retry schedule is needed"},
		{Config{Hooks: hooks, Policy: Policy{Success: OnlyOK}}, "delivery policy: max attempts 0"},
		{Config{Hooks: hooks, Chaos: Chaos{DropFirst: 3}}, "chaos drop-first rate 3"},
	} {
		_, err := New(c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) = %v, want %q", c.opts, err, c.want)
		}
	}
	e, err := New(Config{Hooks: hooks, Timing: TimingVirtual})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.clock.(*VirtualClock); !ok || e.Timing() != TimingVirtual {
		t.Errorf("timing virtual without a clock got %T", e.clock)
	}
	if p := e.Policy(); p.MaxAttempts != 4 || p.Success != KeapSuccess {
		t.Errorf("default policy %+v, want Keap's", p)
	}
}

func TestAdvanceNeedsAVirtualRunningEngine(t *testing.T) {
	t.Parallel()
	real, err := New(Config{Hooks: newHooks(), Timing: TimingKeap})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := real.Advance(context.Background(), time.Minute); err == nil || !strings.Contains(err.Error(), "only be advanced with timing virtual") {
		t.Errorf("Advance on a keap-timing engine = %v", err)
	}
	e := startEngine(t, Config{Hooks: newHooks()})
	if _, err := e.Advance(context.Background(), -time.Second); err == nil {
		t.Error("Advance accepted a negative duration")
	}
	if now := advance(t, e, 90*time.Second); !now.Equal(t0.Add(90 * time.Second)) {
		t.Errorf("Advance returned %s", now)
	}

	idle, err := New(Config{Hooks: newHooks(), Timing: TimingVirtual, Clock: NewVirtualClock(t0)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := idle.Advance(ctx, time.Minute); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "never started") {
		t.Errorf("Advance without Run = %v", err)
	}
	stop := runUntilCleanup(t, idle)
	stop()
	if _, err := idle.Advance(context.Background(), time.Minute); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Errorf("Advance after Run returned = %v", err)
	}
	if err := idle.Run(context.Background()); err == nil {
		t.Error("a second Run succeeded")
	}
}

// An Advance waiting for another one's turn still honours its own ctx: an HTTP client that
// gives up on POST /_mock/clock/advance must not leave its handler queued behind a stuck one.
func TestAdvanceWaitingItsTurnHonoursCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e, err := New(Config{Hooks: newHooks(), Timing: TimingVirtual, Clock: NewVirtualClock(t0)})
		if err != nil {
			t.Fatal(err)
		}
		// Run never starts, so the first Advance holds its turn until its ctx ends.
		firstCtx, cancelFirst := context.WithCancel(t.Context())
		first := make(chan error, 1)
		go func() { _, err := e.Advance(firstCtx, time.Minute); first <- err }()
		synctest.Wait()

		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := e.Advance(ctx, time.Minute); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "another Advance") {
			t.Errorf("Advance queued behind another with its ctx cancelled = %v", err)
		}
		cancelFirst()
		if err := <-first; !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "never started") {
			t.Errorf("the first Advance = %v", err)
		}
		if !e.Now().Equal(t0) {
			t.Errorf("the clock moved to %s though no Advance completed", e.Now())
		}
	})
}
