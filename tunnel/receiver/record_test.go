package receiver

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRecordingRoundTripsAnyBodyExactly(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	fr, err := OpenRecording(path)
	if err != nil {
		t.Fatal(err)
	}
	bodies := [][]byte{
		[]byte(delivery),
		[]byte("{\"a\" : \"<&>\\u00e9\"}\n"),
		{0xff, 0xfe, '{', 0x00, '}'}, // not UTF-8: kept through base64
		{},
	}
	var want []Record
	for i, b := range bodies {
		r := Record{Seq: int64(i + 1), Time: time.Unix(int64(i), 0).UTC(), Kind: KindDelivery, Method: "POST", Path: "/hooks/x?y=1",
			Header: http.Header{"Content-Type": {"application/json"}}, Status: 200}
		r.SetBody(b)
		if err := fr.Record(r); err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	fr.Close()
	f, _ := os.Open(path)
	defer f.Close()
	got, err := ReadRecords(f)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("records (-want +got):\n%s", diff)
	}
	for i, b := range bodies {
		if !bytes.Equal(got[i].BodyBytes(), b) {
			t.Errorf("body %d = %q, want %q", i, got[i].BodyBytes(), b)
		}
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("recording mode %v; it holds traffic and should be private", info.Mode().Perm())
	}
}

func TestRecordingContinuesItsSequence(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	for run, wantFirst := range []int64{1, 3} {
		fr, err := OpenRecording(path)
		if err != nil {
			t.Fatal(err)
		}
		url, evs := relay(t, Config{Recorder: fr, FirstSeq: fr.LastSeq()})
		post(t, url, nil, []byte(delivery))
		if ev := evs.last(t); ev.Seq != wantFirst {
			t.Fatalf("run %d: first seq %d, want %d", run, ev.Seq, wantFirst)
		}
		post(t, url, nil, []byte(delivery))
		fr.Close()
	}
	data, _ := os.ReadFile(path)
	recs, err := ReadRecords(bytes.NewReader(data))
	if err != nil || len(recs) != 4 || recs[3].Seq != 4 {
		t.Fatalf("%d records, last %+v, err %v", len(recs), recs[len(recs)-1], err)
	}
}

// What a delivery was answered with is on record before the sender sees the answer.
func TestRecordHoldsTheAnswer(t *testing.T) {
	t.Parallel()
	a := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte("made it"))
	})
	rec := &memRecorder{}
	url, _ := relay(t, Config{ForwardTo: a.URL, Recorder: rec})
	post(t, url+"/hooks/contact.edit?x=1", http.Header{"X-Extra": {"1"}}, []byte(delivery))
	recs := rec.all()
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if r.Seq != 1 || r.Kind != KindDelivery || r.Method != "POST" || r.Path != "/hooks/contact.edit?x=1" ||
		r.Status != 201 || r.Response != "made it" || r.Body != delivery || r.Header.Get("X-Extra") != "1" ||
		!strings.Contains(r.Note, "answered 201") {
		t.Fatalf("record = %+v", r)
	}
}

func TestRecordingFailureAnswers503(t *testing.T) {
	t.Parallel()
	rec := &memRecorder{fail: errors.New("disk full")}
	url, evs := relay(t, Config{Recorder: rec})
	status, _, body := post(t, url, nil, []byte(delivery))
	if status != http.StatusServiceUnavailable || !strings.Contains(string(body), "disk full") {
		t.Fatalf("answer %d %q; want 503 so that the sender retries", status, body)
	}
	if ev := evs.last(t); ev.Seq != 0 || !strings.Contains(ev.Reason, "could not record") {
		t.Fatalf("event = %+v", ev)
	}
}

func TestReadRecordsNamesTheBadLine(t *testing.T) {
	t.Parallel()
	in := `{"seq":1,"kind":"delivery","method":"POST","body":"{}"}` + "\n\n" + "not json\n"
	recs, err := ReadRecords(strings.NewReader(in))
	if err == nil || !strings.Contains(err.Error(), "line 3") || len(recs) != 1 {
		t.Fatalf("ReadRecords = %d records, %v; want an error naming line 3", len(recs), err)
	}
}

func FuzzReadRecords(f *testing.F) {
	f.Add([]byte(`{"seq":1,"kind":"delivery","method":"POST","path":"/","header":{"A":["b"]},"body":"{}","status":200}` + "\n"))
	f.Add([]byte(`{"seq":2,"body_base64":"//4="}`))
	f.Add([]byte("\n\n{}"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := ReadRecords(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Whatever was read writes back and reads again to the same records.
		var buf bytes.Buffer
		for _, r := range recs {
			r.SetBody(r.BodyBytes())
			line, _ := jsonLine(r)
			buf.Write(line)
		}
		again, err := ReadRecords(&buf)
		if err != nil || len(again) != len(recs) {
			t.Fatalf("re-read %d of %d records: %v", len(again), len(recs), err)
		}
		for i := range recs {
			if !bytes.Equal(again[i].BodyBytes(), recs[i].BodyBytes()) {
				t.Fatalf("record %d body changed: %q -> %q", i, recs[i].BodyBytes(), again[i].BodyBytes())
			}
		}
	})
}

// flakyFile is a recording file whose next write stops half-way, as on a full disk.
type flakyFile struct {
	bytes.Buffer
	failNext bool
	truncErr error
}

func (f *flakyFile) Write(p []byte) (int, error) {
	if !f.failNext {
		return f.Buffer.Write(p)
	}
	f.failNext = false
	n, _ := f.Buffer.Write(p[:len(p)/2])
	return n, errors.New("no space left on device")
}

func (f *flakyFile) Sync() error  { return nil }
func (f *flakyFile) Close() error { return nil }

func (f *flakyFile) Truncate(size int64) error {
	if f.truncErr != nil {
		return f.truncErr
	}
	f.Buffer.Truncate(int(size))
	return nil
}

// A write that fails half-way leaves no half line behind: the recording stays readable and
// holds exactly the records that were answered as recorded.
func TestFailedAppendIsCutOff(t *testing.T) {
	t.Parallel()
	ff := &flakyFile{}
	fr := &FileRecorder{f: ff}
	rec := func(seq int64) Record {
		r := Record{Seq: seq, Kind: KindDelivery, Method: "POST", Path: "/", Status: 200}
		r.SetBody([]byte(delivery))
		return r
	}
	if err := fr.Record(rec(1)); err != nil {
		t.Fatal(err)
	}
	ff.failNext = true
	if err := fr.Record(rec(2)); err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("a failed write returned %v", err)
	}
	if err := fr.Record(rec(3)); err != nil {
		t.Fatalf("the write after a failed one: %v", err)
	}
	recs, err := ReadRecords(bytes.NewReader(ff.Bytes()))
	if err != nil || len(recs) != 2 || recs[0].Seq != 1 || recs[1].Seq != 3 {
		t.Fatalf("recording holds %d records %v; want 1 and 3, readable", len(recs), err)
	}

	// When the damaged line cannot be cut off, nothing more is recorded (and so nothing
	// more is answered 2xx) rather than appended to a file that no longer reads back.
	ff.failNext, ff.truncErr = true, errors.New("read-only file system")
	if err := fr.Record(rec(4)); err == nil {
		t.Fatal("a failed write returned no error")
	}
	if err := fr.Record(rec(5)); err == nil || !strings.Contains(err.Error(), "damaged line") {
		t.Fatalf("a record after an uncut damaged line: %v; want it refused", err)
	}
}

// A device is refused at once: reading /dev/zero for the last sequence number would never
// end, and a terminal would block the start.
func TestRecordingMustBeARegularFile(t *testing.T) {
	t.Parallel()
	for _, dev := range []string{os.DevNull, "/dev/zero"} {
		if _, err := os.Stat(dev); err != nil {
			t.Skipf("%s: %v", dev, err)
		}
		fr, err := OpenRecording(dev)
		if err == nil {
			fr.Close()
			t.Fatalf("OpenRecording(%s) succeeded", dev)
		}
		if !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("OpenRecording(%s) = %v; want it to say why", dev, err)
		}
	}
}

// A forwarded delivery is two lines, read back as one record; one whose answer never came
// is read with Status 0; a line cut short at the end by kill -9 is skipped on reading and
// cut off when the recording is opened again.
func TestRecordingJoinsPhasesAndMendsACutLine(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	fr, err := OpenRecording(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1_800_000_000, 0).UTC()
	for _, r := range []Record{
		{Seq: 1, Time: at, Phase: PhaseReceived, Kind: KindDelivery, Method: "POST", Path: "/", Body: "{}"},
		{Seq: 2, Time: at, Phase: PhaseReceived, Kind: KindDelivery, Method: "POST", Path: "/", Body: "[]"},
		{Seq: 1, Time: at.Add(time.Second), Phase: PhaseAnswered, Kind: KindDelivery, Status: 202, Response: "ok", Note: "forwarded"},
	} {
		if err := fr.Record(r); err != nil {
			t.Fatal(err)
		}
	}
	fr.Close()
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"seq":3,"time":"2027-01-15T08:00:00Z","phase":"rece`) // the write kill -9 interrupted
	f.Close()

	data, _ := os.ReadFile(path)
	recs, err := ReadRecords(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{Seq: 1, Time: at, Kind: KindDelivery, Method: "POST", Path: "/", Body: "{}", Status: 202, Response: "ok", Note: "forwarded"},
		{Seq: 2, Time: at, Phase: PhaseReceived, Kind: KindDelivery, Method: "POST", Path: "/", Body: "[]"},
	}
	if diff := cmp.Diff(want, recs); diff != "" {
		t.Fatalf("records (-want +got):\n%s", diff)
	}

	fr, err = OpenRecording(path)
	if err != nil || fr.LastSeq() != 2 {
		t.Fatalf("reopened: last seq %d, %v", fr.LastSeq(), err)
	}
	fr.Record(Record{Seq: 3, Time: at, Kind: KindHandshake, Method: "POST", Path: "/", Status: 200})
	fr.Close()
	data, _ = os.ReadFile(path)
	if strings.Contains(string(data), `"phase":"rece`+"{") || !strings.HasSuffix(string(data), "\n") {
		t.Fatalf("the cut line was not cut off:\n%s", data)
	}
	if recs, err := ReadRecords(bytes.NewReader(data)); err != nil || len(recs) != 3 {
		t.Fatalf("after reopening: %d records, %v", len(recs), err)
	}
	if _, err := ReadRecords(strings.NewReader(`{"seq":9,"phase":"answered","status":200}` + "\n")); err == nil {
		t.Fatal("an answer to no recorded request was accepted")
	}
}

// Credentials a sender puts in front of the relay are forwarded to the app but recorded as
// [redacted], and a replay sends none of them.
func TestRecordingRedactsCredentials(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	rec := &memRecorder{}
	url, _ := relay(t, Config{ForwardTo: a.URL, Recorder: rec})
	post(t, url, http.Header{"Authorization": {"Bearer tok_s3cret"}, "Cookie": {"s=c00kie"}}, []byte(delivery))
	if got := a.received()[0].Header.Get("Authorization"); got != "Bearer tok_s3cret" {
		t.Fatalf("the app got Authorization %q", got)
	}
	recs := rec.all()
	line, _ := jsonLine(recs[0])
	if strings.Contains(string(line), "tok_s3cret") || strings.Contains(string(line), "c00kie") {
		t.Fatalf("the recording holds a credential: %s", line)
	}
	again := newApp(t, nil)
	(&Replayer{To: again.URL}).Send(t.Context(), recs[0])
	if h := again.received()[0].Header; h.Get("Authorization") != "" || h.Get("Cookie") != "" {
		t.Fatalf("the replay sent redacted headers: %v", h)
	}
}

// FuzzScanRecording: whatever a recording holds, reading it neither panics nor invents
// requests, and what scanRecording counts as whole lines is within the file.
func FuzzScanRecording(f *testing.F) {
	f.Add([]byte(`{"seq":1,"phase":"received","kind":"delivery","body":"{}"}` + "\n" + `{"seq":1,"phase":"answered","status":200}` + "\n"))
	f.Add([]byte(`{"seq":2,"kind":"handshake"}` + "\n" + `{"seq":3,"pha`))
	f.Add([]byte("\n\n{}\n"))
	f.Add([]byte(`{"seq":1,"phase":"answered"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := ReadRecords(bytes.NewReader(data))
		if err == nil && len(recs) > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("%d records from %d lines", len(recs), bytes.Count(data, []byte("\n"))+1)
		}
		scan, err := scanRecording(bytes.NewReader(data))
		if err == nil && (scan.whole < 0 || scan.whole+scan.tailLen > int64(len(data))) {
			t.Fatalf("scan %+v of %d bytes", scan, len(data))
		}
	})
}
