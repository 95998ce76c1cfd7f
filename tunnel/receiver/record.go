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

// Record is one request the relay received and what it answered. Body holds the raw body
// exactly: as a string when it is valid UTF-8, otherwise in BodyBase64, so that any body
// survives the round trip through JSON byte for byte.
//
// In a recording a request the relay answers itself is one line. A forwarded delivery is
// two: the request as it arrived (Phase "received"), written before the app can have it,
// then its answer (Phase "answered": Seq, Time, Status, Response and Note only).
// ReadRecords joins them; a delivery whose answer never came (the relay was stopped) is
// read with Status 0.
type Record struct {
	Seq        int64       `json:"seq"`
	Time       time.Time   `json:"time"`
	Phase      Phase       `json:"phase,omitempty"`
	Kind       Kind        `json:"kind"`
	Method     string      `json:"method,omitempty"`
	Path       string      `json:"path,omitempty"`
	Header     http.Header `json:"header,omitempty"`
	Body       string      `json:"body,omitempty"`
	BodyBase64 []byte      `json:"body_base64,omitempty"`
	// Status and Response are what the relay answered the sender.
	Status   int    `json:"status"`
	Response string `json:"response,omitempty"`
	// Note says in words what happened: forwarded, rejected and why, forward failure.
	Note string `json:"note,omitempty"`
}

// Phase says which part of a forwarded delivery's story a line of a recording tells; ""
// for a line that tells all of it.
type Phase string

// The phases of a forwarded delivery.
const (
	PhaseReceived Phase = "received"
	PhaseAnswered Phase = "answered"
)

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

// FileRecorder appends records as JSON lines to a file.
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
// to continue their sequence numbers; the end of a line that a killed relay was writing is
// cut off, so that the file stays one JSON record per line.
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
	fr := &FileRecorder{f: f}
	if err := fr.resume(); err != nil {
		f.Close()
		return nil, fmt.Errorf("recording %s: %w", path, err)
	}
	return fr, nil
}

// resume reads the recording for its last sequence number and mends its end.
func (fr *FileRecorder) resume() error {
	f := fr.f.(*os.File)
	scan, err := scanRecording(f)
	if err != nil {
		return err
	}
	fr.lastSeq, fr.size = scan.lastSeq, scan.whole
	switch {
	case scan.tail == tailTorn:
		return f.Truncate(scan.whole)
	case scan.tail == tailUnterminated: // a whole record, just without its newline
		_, err := f.Write([]byte("\n"))
		fr.size = scan.whole + scan.tailLen + 1
		return err
	}
	return nil
}

// LastSeq is the highest sequence number in the file when it was opened.
func (fr *FileRecorder) LastSeq() int64 { return fr.lastSeq }

// Record appends rec as one line. A request's first line is synced to disk before Record
// returns, since the relay forwards or answers only after that; an answer line is written
// but not synced (it survives the relay being killed, which is what matters, and a delivery
// needs no second wait for the disk). When writing fails the line is cut off again: half a
// line would make the whole recording unreadable from there on.
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
	if err := fr.append(line, rec.Phase != PhaseAnswered); err != nil {
		if terr := fr.f.Truncate(fr.size); terr != nil {
			fr.broken = fmt.Errorf("recording: a failed write left a damaged line at the end of the file, which could not be cut off: %w", terr)
		}
		return fmt.Errorf("recording: %w", err)
	}
	fr.size += int64(len(line))
	return nil
}

func (fr *FileRecorder) append(line []byte, sync bool) error {
	if _, err := fr.f.Write(line); err != nil {
		return err
	}
	if !sync {
		return nil
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

// How a recording ends.
const (
	tailClean        = iota // with a newline (or empty)
	tailUnterminated        // with a whole record lacking its newline
	tailTorn                // with part of a line: a write cut short
)

type recordingScan struct {
	lastSeq int64
	whole   int64 // bytes in whole lines
	tail    int
	tailLen int64
}

// scanRecording reads a recording one line at a time, so that one kept across many runs need
// not be held in memory to be continued.
func scanRecording(r io.Reader) (recordingScan, error) {
	var scan recordingScan
	err := eachLine(r, func(n int, line []byte, terminated bool) error {
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			if !terminated {
				scan.tail = tailTorn
				return nil
			}
			return fmt.Errorf("line %d is not a recorded request: %v", n, err)
		}
		scan.lastSeq = max(scan.lastSeq, rec.Seq)
		return nil
	}, func(length int64, terminated bool) {
		if terminated {
			scan.whole += length
		} else if scan.tail != tailTorn {
			scan.tail, scan.tailLen = tailUnterminated, length
		}
	})
	return scan, err
}

// ReadRecords reads a recording: one Record per request, a forwarded delivery's answer
// joined to it. Blank lines are skipped, and so is a last line cut short by a killed relay;
// any other line that is not a record is an error naming its line number.
func ReadRecords(r io.Reader) ([]Record, error) {
	var recs []Record
	index := map[int64]int{}
	err := eachLine(r, func(n int, line []byte, terminated bool) error {
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			if !terminated {
				return nil
			}
			return fmt.Errorf("line %d is not a recorded request: %v", n, err)
		}
		if rec.Phase != PhaseAnswered {
			index[rec.Seq] = len(recs)
			recs = append(recs, rec)
			return nil
		}
		i, ok := index[rec.Seq]
		if !ok {
			return fmt.Errorf("line %d is the answer to request %d, which no line before it records", n, rec.Seq)
		}
		recs[i].Phase, recs[i].Status, recs[i].Response, recs[i].Note = "", rec.Status, rec.Response, rec.Note
		return nil
	}, nil)
	return recs, err
}

// eachLine calls fn with each non-blank line of a recording in order (n counts from 1), and
// sized, when not nil, with the length of every line, blank ones included.
func eachLine(r io.Reader, fn func(n int, line []byte, terminated bool) error, sized func(int64, bool)) error {
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		terminated := len(line) > 0 && line[len(line)-1] == '\n'
		if sized != nil && len(line) > 0 {
			sized(int64(len(line)), terminated)
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if ferr := fn(n, line, terminated); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
