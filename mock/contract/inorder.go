package contract

import "sync"

// inOrder collects the verdicts of checks that end in any order and hands them to observe in
// the suite's order, each as soon as every check before it has ended, always on the
// goroutine that called Run.
type inOrder struct {
	results []Result
	observe func(Result)

	mu    sync.Mutex
	ended []bool
	next  int // the first result not yet observed
}

func newInOrder(results []Result, observe func(Result)) *inOrder {
	if observe == nil {
		observe = func(Result) {}
	}
	return &inOrder{results: results, observe: observe, ended: make([]bool, len(results))}
}

// done records the verdict of check i; it may be called from any goroutine.
func (o *inOrder) done(i int, res Result) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.results[i], o.ended[i] = res, true
}

// flush observes every result whose predecessors have all ended. Run calls it on its own
// goroutine after each verdict.
func (o *inOrder) flush() {
	o.mu.Lock()
	var ready []Result
	for o.next < len(o.results) && o.ended[o.next] {
		ready = append(ready, o.results[o.next])
		o.next++
	}
	o.mu.Unlock()
	for _, res := range ready {
		o.observe(res)
	}
}

// skipRest gives every check not yet ended the verdict note, and observes them.
func (o *inOrder) skipRest(note Result) {
	o.mu.Lock()
	for i := range o.results {
		if !o.ended[i] {
			res := note
			res.Name = o.results[i].Name
			o.results[i], o.ended[i] = res, true
		}
	}
	o.mu.Unlock()
	o.flush()
}
