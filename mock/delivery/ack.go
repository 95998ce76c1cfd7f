package delivery

import "context"

// ack is what remains of an attempt once its outcome is saved: telling the observer, then
// counting the attempt done, which Advance waits for. A worker does not wait for the disk:
// it hands the ack to the acknowledger and takes its next attempt, so a slow sync to disk
// delays the reports, never the sending.
type ack struct {
	save saved
	then func()
}

func (e *Engine) settle(a ack) {
	_ = e.reportStoreError(a.save.wait())
	a.then()
	e.doneOne()
}

// acknowledge settles the ack at once when nothing is saved, or hands it to the acknowledger,
// which reports each outcome once it is saved. One hook's attempts are made one after another
// by one worker, so their reports keep their order; two outcomes that two workers hand in at
// the same moment may be reported in either order. When ctx ends first the ack is dropped, as
// an attempt cut short by shutdown is.
func (e *Engine) acknowledge(ctx context.Context, a ack) {
	if a.save.commit == nil { // no Store: nothing to wait for
		e.settle(a)
		return
	}
	select {
	case e.acks <- a:
	case <-ctx.Done():
	}
}

// acknowledger settles acks in the order they came: each wait is for the oldest commit still
// being written, so later saves never hold up the report of an earlier one.
func (e *Engine) acknowledger(ctx context.Context) {
	for {
		select {
		case a := <-e.acks:
			e.settle(a)
		case <-ctx.Done():
			return
		}
	}
}
