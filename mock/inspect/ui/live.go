package ui

import (
	"bytes"
	"net/http"
	"sync"
)

// maxLiveEntries bounds the renderings a Live keeps (one per page address).
const maxLiveEntries = 64

// Live serves the live part of pages to the script, rendering each page address once per
// event however many pages ask: ten open pages refreshing on one event cost one rendering.
// Its renderings hold no session's CSRF token; the script fills the page's own into them.
type Live struct {
	Hub *Hub

	mu      sync.Mutex // held while rendering, so that one rendering serves every waiter
	entries map[string]rendering
}

type rendering struct {
	seq  uint64
	html []byte
}

// Serve answers a request for the live part of p, rendering data() only when the page's
// rendering for the latest event is not at hand. A template that fails to run is answered
// as Page.Render answers it.
func (l *Live) Serve(w http.ResponseWriter, r *http.Request, root string, p Page, data func() any) {
	html, err := l.get(r.URL.RequestURI(), p, data)
	if err != nil {
		drawFailed(w, root, err)
		return
	}
	SecurityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(html)
}

func (l *Live) get(key string, p Page, data func() any) ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	seq := l.Hub.Seq() // read before rendering: a later event means a later rendering
	if e, ok := l.entries[key]; ok && e.seq == seq {
		return e.html, nil
	}
	var buf bytes.Buffer
	if err := p.t.ExecuteTemplate(&buf, "live", data()); err != nil {
		return nil, err
	}
	if l.entries == nil || len(l.entries) >= maxLiveEntries {
		l.entries = map[string]rendering{}
	}
	l.entries[key] = rendering{seq, buf.Bytes()}
	return buf.Bytes(), nil
}

// IsLive reports whether r asks only for the live part of a page.
func IsLive(r *http.Request) bool { return r.Header.Get(FragmentHeader) != "" }
