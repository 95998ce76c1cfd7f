package receiver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"
	"unicode/utf8"
)

// Record is one request the relay received and what it answered, as one JSON line of a
// recording. Body holds the raw body exactly: as a string when it is valid UTF-8, otherwise
// in BodyBase64, so that any body survives the round trip through JSON byte for byte.
type Record struct {
	Seq        int64       `json:"seq"`
	Time       time.Time   `json:"time"`
	Kind       Kind        `json:"kind"`
	Method     string      `json:"method"`
	Path       string      `json:"path"`
	Header     http.Header `json:"header"`
	Body       string      `json:"body"`
	BodyBase64 []byte      `json:"body_base64,omitempty"`
	// Status and Response are what the relay answered the sender.
	Status   int    `json:"status"`
	Response string `json:"response,omitempty"`
	// Note says in words what happened: forwarded, rejected and why, forward failure.
	Note string `json:"note,omitempty"`
}

// SetBody stores b in the record so that BodyBytes returns exactly b.
func (r *Record) SetBody(b []byte) {
	if utf8.Valid(b) {
		r.Body, r.BodyBase64 = string(b), nil
		return
	}
	r.Body, r.BodyBase64 = "", bytes.Clone(b)
}

// BodyBytes returns the body exactly as received.
func (r *Record) BodyBytes() []byte {
	if r.BodyBase64 != nil {
		return r.BodyBase64
	}
	return []byte(r.Body)
}

// Recorder keeps records. Record must not return before the record is stored: the relay
// answers the sender only after it returns, so a 2xx always means "recorded".
type Recorder interface {
	Record(rec Record) error
}

// FileRecorder appends records as JSON lines to a file and syncs each one to disk.
type FileRecorder struct {
	mu      sync.Mutex
	f       recordFile
	size    int64 // length of the whole lines written; a failed append is cut back to it
	broken  error // why the file can take no more records
	lastSeq int64
}

// recordFile is what a FileRecorder writes to: an *os.File, or a failing stand-in in tests.
type recordFile interface {
	io.Writer
	Sync() error
	Truncate(size int64) error
	Close() error
}

// OpenRecording opens (or creates) a recording for appending. Lines already in it are read
// to continue their sequence numbers.
func OpenRecording(path string) (*FileRecorder, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	// Only a regular file reads back and syncs: reading a terminal or a pipe for the last
	// sequence number would block, /dev/zero would never end, and Sync fails on them.
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", path)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("recording: %w", err)
	}
	last, err := lastSeq(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("recording %s: %w", path, err)
	}
	return &FileRecorder{f: f, size: info.Size(), lastSeq: last}, nil
}

// LastSeq is the highest sequence number in the file when it was opened.
func (fr *FileRecorder) LastSeq() int64 { return fr.lastSeq }

// Record appends rec as one line and syncs it. When that fails the line is cut off again:
// half a line would make the whole recording unreadable from there on, and a line not known
// to be on disk would record an answer the sender never got (it gets a 503).
func (fr *FileRecorder) Record(rec Record) error {
	line, err := jsonLine(rec)
	if err != nil {
		return err
	}
	fr.mu.Lock()
	defer fr.mu.Unlock()
	if fr.broken != nil {
		return fr.broken
	}
	if err := fr.append(line); err != nil {
		if terr := fr.f.Truncate(fr.size); terr != nil {
			fr.broken = fmt.Errorf("recording: a failed write left a damaged line at the end of the file, which could not be cut off: %w", terr)
		}
		return fmt.Errorf("recording: %w", err)
	}
	fr.size += int64(len(line))
	return nil
}

func (fr *FileRecorder) append(line []byte) error {
	if _, err := fr.f.Write(line); err != nil {
		return err
	}
	return fr.f.Sync()
}

// jsonLine renders rec as one line of a recording, newline included.
func jsonLine(rec Record) ([]byte, error) {
	line, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	return append(line, '\n'), nil
}

// Close closes the file.
func (fr *FileRecorder) Close() error { return fr.f.Close() }

// lastSeq reads a recording for its highest sequence number, one record at a time: a
// recording kept across many runs need not be held in memory to be continued.
func lastSeq(r io.Reader) (int64, error) {
	var last int64
	err := eachRecord(r, func(rec Record) { last = max(last, rec.Seq) })
	return last, err
}

// ReadRecords reads a recording. Blank lines are skipped; a line that is not a record is an
// error naming its line number.
func ReadRecords(r io.Reader) ([]Record, error) {
	var recs []Record
	err := eachRecord(r, func(rec Record) { recs = append(recs, rec) })
	return recs, err
}

// eachRecord calls fn with each record of a recording in order, up to the first line that
// is not one.
func eachRecord(r io.Reader, fn func(Record)) error {
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var rec Record
			if jerr := json.Unmarshal(line, &rec); jerr != nil {
				return fmt.Errorf("line %d is not a recorded request: %v", n, jerr)
			}
			fn(rec)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
