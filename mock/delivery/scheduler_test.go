package delivery

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The due queue gives back the delivery with the earliest next attempt time, the older one on
// a tie, whatever was pushed and popped before.
func TestDueQueueGivesTheEarliest(t *testing.T) {
	t.Parallel()
	byDue := func(a, b *record) int {
		return cmp.Or(a.NextAttemptAt.Compare(b.NextAttemptAt), cmp.Compare(a.seq, b.seq))
	}
	rnd := rand.New(rand.NewPCG(7, 7))
	var q dueQueue
	var in []*record // what the queue holds, unordered
	seq := uint64(0)
	for range 300 {
		for range rnd.IntN(50) {
			seq++
			// Few distinct times, so that ties are common.
			r := &record{seq: seq, Delivery: Delivery{NextAttemptAt: t0.Add(time.Duration(rnd.IntN(20)) * time.Second)}}
			q.push(r)
			in = append(in, r)
		}
		for range rnd.IntN(50) {
			if len(in) == 0 {
				break
			}
			want := slices.MinFunc(in, byDue)
			if next, _ := q.next(); !next.Equal(want.NextAttemptAt) {
				t.Fatalf("next() = %s, want %s", next, want.NextAttemptAt)
			}
			if got := q.pop(); got != want {
				t.Fatalf("pop gave d_%d due %s, want d_%d due %s", got.seq, got.NextAttemptAt, want.seq, want.NextAttemptAt)
			}
			in = slices.DeleteFunc(in, func(r *record) bool { return r == want })
		}
		if len(q) != len(in) {
			t.Fatalf("queue holds %d, want %d", len(q), len(in))
		}
	}
}
