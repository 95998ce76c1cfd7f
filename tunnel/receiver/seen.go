package receiver

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keaphook/keaphook/mock/signature"
)

// DefaultReplayMemory is how many Standard Webhooks messages the relay remembers at most to
// refuse their replays. Only messages within the tolerance window need remembering (older
// timestamps are refused as stale anyway): at Keap's pace that is far fewer; above it the
// oldest are forgotten first.
const DefaultReplayMemory = 100_000

// replayed refuses a Standard Webhooks message the relay has already taken: the same
// webhook-id with the same webhook-timestamp, which only a copy of the request can carry,
// since a sender signs each attempt afresh. It returns why, or "" and notes the message as
// taken. Only a verified message gets here, so a forged one cannot fill the memory.
func (rv *Receiver) replayed(h http.Header, ev *Exchange) string {
	if rv.seen == nil {
		return ""
	}
	id := h.Get(signature.HeaderWebhookID)
	ts := strings.TrimSpace(h.Get(signature.HeaderWebhookTimestamp))
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil { // Verify accepted it, so this cannot happen; refuse nothing on a doubt
		return ""
	}
	// Held as a digest: a message id can be as long as a header, and memory is bounded by
	// the number of messages times a fixed size.
	digest := sha256.Sum256([]byte(id + "." + ts))
	key := string(digest[:])
	// Once the timestamp is older than the tolerance, Verify refuses it as stale.
	until := time.Unix(sec, 0).Add(rv.seen.tolerance + time.Second)
	if first, dup := rv.seen.take(key, until, ev.Time); dup {
		return fmt.Sprintf("message %q (%s %s) was already received at %s; a sender signs every attempt afresh, "+
			"so the same id and timestamp again are a replay, refused for as long as the timestamp is within the %s tolerance",
			id, signature.HeaderWebhookTimestamp, ts, first.UTC().Format(time.RFC3339), rv.seen.tolerance)
	}
	ev.replayKey = key
	return ""
}

// seenMessages remembers messages until their timestamps go stale, at most limit of them.
type seenMessages struct {
	tolerance time.Duration
	limit     int

	mu    sync.Mutex
	byKey map[string]seenMessage
	order []seenEntry // in the order taken; entries forgotten since are skipped
	head  int
	gen   uint64
}

type seenMessage struct {
	at, until time.Time
	gen       uint64
}

type seenEntry struct {
	key string
	gen uint64
}

func newSeenMessages(tolerance time.Duration, limit int) *seenMessages {
	return &seenMessages{tolerance: tolerance, limit: limit, byKey: map[string]seenMessage{}}
}

// take notes key as received at now, to be remembered until then. When key is already
// remembered it reports true and when it was first received.
func (s *seenMessages) take(key string, until, now time.Time) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune(now)
	if m, ok := s.byKey[key]; ok && now.Before(m.until) {
		return m.at, true
	}
	s.gen++
	s.byKey[key] = seenMessage{at: now, until: until, gen: s.gen}
	s.order = append(s.order, seenEntry{key, s.gen})
	return time.Time{}, false
}

// forget lets a message through again: its delivery failed, and the sender will retry it.
func (s *seenMessages) forget(key string) {
	if s == nil || key == "" {
		return
	}
	s.mu.Lock()
	delete(s.byKey, key)
	s.mu.Unlock()
}

// prune drops, oldest first, what has gone stale and whatever is beyond the limit.
func (s *seenMessages) prune(now time.Time) {
	for s.head < len(s.order) {
		e := s.order[s.head]
		m, live := s.byKey[e.key]
		live = live && m.gen == e.gen
		if live && now.Before(m.until) && len(s.order)-s.head < s.limit {
			break
		}
		if live {
			delete(s.byKey, e.key)
		}
		s.order[s.head] = seenEntry{}
		s.head++
	}
	if s.head > len(s.order)/2 { // reuse the space of what was dropped
		s.order = append(s.order[:0], s.order[s.head:]...)
		s.head = 0
	}
}

// remembered is how many messages are held, for tests.
func (s *seenMessages) remembered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byKey)
}
