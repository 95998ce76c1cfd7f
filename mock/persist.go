package mock

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/store"
)

// Buckets of the mock's own state in the data directory (deliveries keep their own).
const (
	bucketHooks = "hooks"
	bucketMeta  = "meta"
	metaLastID  = "lastHookID"
	metaClock   = "virtualNow"
)

// savedHook is a hook as kept on disk, with the latest handshake secret so a delayedVerify
// still works after a restart.
type savedHook struct {
	Hook   keap.RestHook `json:"hook"`
	Secret string        `json:"secret,omitempty"`
}

// persistHook saves the hook's current state (or its absence) in the data directory and
// waits until it is on disk; without a data directory the mock keeps hooks in memory only.
// A call that changed a hook returns only once it did: what the API acknowledged survives
// even kill -9.
func (s *Server) persistHook(key string) {
	if s.store != nil {
		s.awaitHook(key, s.hooks.persist(key, s.store.Submit))
	}
}

// stageHook queues the save of the hook's current state without starting a commit, for a
// call that changes the hook again before it answers: the save goes to disk with the next
// commit, at the latest with the call's last save, which the call waits for (ops are
// written in order). One call is then one commit and one sync, however many saves it makes.
func (s *Server) stageHook(key string) *store.Commit {
	if s.store == nil {
		return nil
	}
	return s.hooks.persist(key, s.store.Stage)
}

// awaitHook waits for a save of hook key to reach the disk, logging a failure.
func (s *Server) awaitHook(key string, c *store.Commit) {
	if c == nil {
		return
	}
	if err := c.Wait(); err != nil {
		s.log.Error(fmt.Sprintf("could not save hook %s to the data directory: %v", key, err))
	}
}

// persist submits the hook's current state while holding the store's lock, so saves reach
// the disk in the order the changes were made: the last one submitted is the latest state.
func (st *hookStore) persist(key string, submit func(...store.Op) *store.Commit) *store.Commit {
	st.mu.Lock()
	defer st.mu.Unlock()
	return submit(st.opsLocked(key)...)
}

// opsLocked are the Store ops that save hook key as it is now, or its deletion.
func (st *hookStore) opsLocked(key string) []store.Op {
	e, ok := st.hooks[key]
	if !ok {
		return []store.Op{store.DeleteOp(bucketHooks, key)}
	}
	b, _ := json.Marshal(savedHook{Hook: e.hook, Secret: e.secret}) // strings only: cannot fail
	ops := []store.Op{store.PutOp(bucketHooks, key, b)}
	// The last key issued changes only when a hook is created, and it is that hook's key.
	if key == strconv.FormatInt(st.lastID, 10) {
		ops = append(ops, store.PutOp(bucketMeta, metaLastID, []byte(key)))
	}
	return ops
}

// loadHooks reads the hooks a previous run of the mock left in st.
func loadHooks(st *store.Store, hs *hookStore) error {
	var entries []hookEntry
	err := st.ForEach(bucketHooks, func(key string, v []byte) error {
		var sh savedHook
		if err := json.Unmarshal(v, &sh); err != nil {
			return fmt.Errorf("hook %s: %w", key, err)
		}
		entries = append(entries, hookEntry{hook: sh.Hook, secret: sh.Secret})
		return nil
	})
	if err != nil {
		return err
	}
	var lastID int64
	if b, ok, err := st.Get(bucketMeta, metaLastID); err != nil {
		return err
	} else if ok {
		if lastID, err = strconv.ParseInt(string(b), 10, 64); err != nil {
			return fmt.Errorf("%s: %w", metaLastID, err)
		}
	}
	hs.restore(entries, lastID)
	return nil
}

// saveVirtualClock remembers how far the virtual clock was advanced, so a restarted mock
// resumes there and the retries it saved fall due at the same virtual times.
func (s *Server) saveVirtualClock(now time.Time) {
	if s.store == nil {
		return
	}
	b, _ := now.MarshalText()
	if err := s.store.Put(bucketMeta, metaClock, b); err != nil {
		s.log.Error(fmt.Sprintf("could not save the virtual clock to the data directory: %v", err))
	}
}

// resumeVirtualClock is where a virtual clock starts: the saved virtual time when it is
// ahead of the real time, the real time otherwise.
func (s *Server) resumeVirtualClock() time.Time {
	now := time.Now()
	b, ok, err := s.store.Get(bucketMeta, metaClock)
	var saved time.Time
	if err != nil || !ok || saved.UnmarshalText(b) != nil || !saved.After(now) {
		return now
	}
	return saved
}
