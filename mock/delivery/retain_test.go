package delivery

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestParseRetention(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want Retention
	}{
		{"5000", Retention{Count: 5000, Bytes: -1}},
		{"64MB", Retention{Count: -1, Bytes: 64 << 20}},
		{"64mib", Retention{Count: -1, Bytes: 64 << 20}},
		{" 512 KB ", Retention{Count: -1, Bytes: 512 << 10}},
		{"1G", Retention{Count: -1, Bytes: 1 << 30}},
		{"100B", Retention{Count: -1, Bytes: 100}},
	} {
		got, err := ParseRetention(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseRetention(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "0", "-5", "0MB", "64XB", "1.5GB", "MB", "99999999999999999999", "9999999999GB"} {
		if _, err := ParseRetention(bad); err == nil || !strings.Contains(err.Error(), "want a positive") && !strings.Contains(err.Error(), "empty") {
			t.Errorf("ParseRetention(%q) = %v, want an error saying what to write", bad, err)
		}
	}
	if got := (Retention{}).String(); got != "20000 deliveries or 64MB" {
		t.Errorf("the default retention reads %q", got)
	}
	if got := (Retention{Count: -1, Bytes: 64 << 20}).String(); got != "any number of deliveries or 64MB" {
		t.Errorf("a size retention reads %q", got)
	}
}

func FuzzParseRetention(f *testing.F) {
	for _, s := range []string{"5000", "64MB", "1GiB", "0", "", "-1", "8EB", "9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRetention(s)
		if err != nil {
			return
		}
		if (r.Count <= 0) == (r.Bytes <= 0) {
			t.Fatalf("ParseRetention(%q) = %+v: want exactly one positive bound", s, r)
		}
	})
}

// heapAfterGC is the live heap once the garbage is collected.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// 1,000 finished deliveries of 500 ids each (about 40 MB of payloads) with a 4 MB retention:
// the heap grows by less than 12 MB. Not parallel: it measures the process's heap.
func TestRetainBySizeBoundsTheHeap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	const limit, bound = 4 << 20, 12 << 20
	p := KeapPolicy()
	p.FirstDelay = Fixed(time.Second)
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", srv.URL)), Policy: p,
		Retain: Retention{Count: -1, Bytes: limit}})
	before := heapAfterGC()
	changes := make([]Change, 500)
	for i := range 1000 {
		for j := range changes {
			changes[j] = Change{ID: int64(i*500 + j + 1)} // distinct ids: distinct payloads
		}
		emit(t, e, "contact.add", changes...)
		advance(t, e, 2*time.Second)
	}
	c := e.Counts()
	grown := int64(heapAfterGC()) - int64(before)
	if c[Delivered] == 0 || c[Delivered] >= 1000 {
		t.Fatalf("%d deliveries kept of 1,000: the size bound did not apply", c[Delivered])
	}
	if grown > bound {
		t.Errorf("the heap grew by %.1f MB keeping %d deliveries under a %d MB retention; want under %d MB",
			float64(grown)/(1<<20), c[Delivered], limit>>20, bound>>20)
	}
	t.Logf("kept %d deliveries; heap grew by %.1f MB", c[Delivered], float64(grown)/(1<<20))
}
