package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/tunnel/receiver"
)

// replayResult prints one replayed request and its answer.
func (l *listenUI) replayResult(rec receiver.Record, res receiver.ReplayResult) {
	what := string(rec.Kind)
	if rec.Kind == receiver.KindDelivery {
		var ev receiver.Exchange
		receiver.Summarize(&ev, rec.BodyBytes())
		if ev.EventKey != "" {
			what = fmt.Sprintf("%s %d id%s %s", ev.EventKey, ev.Objects, plural(ev.Objects), idList(ev))
		}
	}
	line := fmt.Sprintf("#%d %s %s -> %s in %s", rec.Seq, rec.Method, what, statusText(res.Status), res.Duration.Round(time.Millisecond))
	attrs := []any{"seq", rec.Seq, "kind", string(rec.Kind), "status", res.Status, "ok", res.OK(), "ms", res.Duration.Milliseconds()}
	switch {
	case res.Err != nil:
		why := tlsWords(res.Err)
		l.say(toneBad, line+": "+why, append(attrs, "error", why)...)
	case rec.Kind == receiver.KindHandshake && !res.Echoed:
		l.say(toneBad, line+": X-Hook-Secret was not echoed, so Keap would leave the hook Unverified", append(attrs, "echoed", false)...)
	case !res.OK():
		l.say(toneBad, line+": "+oneLine(res.Body), append(attrs, "answer", oneLine(res.Body))...)
	default:
		l.say(toneGood, line, attrs...)
	}
}

func (l *listenUI) replaySummary(total, failed int, to string) {
	to = keap.ShownURL(to)
	msg := fmt.Sprintf("replayed %d request%s to %s: %d succeeded, %d failed", total, plural(total), to, total-failed, failed)
	t := toneGood
	if failed > 0 {
		t = toneBad
	}
	l.say(t, msg, "replayed", total, "failed", failed, "to", to)
}

// oneLine shortens an answer body for a console line.
func oneLine(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
