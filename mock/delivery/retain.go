package delivery

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Retention bounds the finished deliveries (Delivered, Failed, Dropped) an engine keeps for
// inspection: the oldest are forgotten, in memory and in the Store, once there are more than
// Count of them or they take more than Bytes. Live deliveries are never forgotten.
type Retention struct {
	// Count caps how many are kept; 0 means DefaultRetainCount, negative means no cap.
	Count int
	// Bytes caps their estimated size (payloads, attempts and bookkeeping); 0 means
	// DefaultRetainBytes, negative means no cap.
	Bytes int64
}

// Defaults for Retention: whichever bound is reached first applies.
const (
	DefaultRetainCount       = 20_000
	DefaultRetainBytes int64 = 64 << 20
)

func (r Retention) withDefaults() Retention {
	if r.Count == 0 {
		r.Count = DefaultRetainCount
	}
	if r.Bytes == 0 {
		r.Bytes = DefaultRetainBytes
	}
	return r
}

func (r Retention) exceeded(count int, bytes int64) bool {
	return (r.Count >= 0 && count > r.Count) || (r.Bytes >= 0 && bytes > r.Bytes)
}

// String writes the bounds as ParseRetention reads one of them: "20000 deliveries or 64MB".
func (r Retention) String() string {
	r = r.withDefaults()
	count, size := "any number of deliveries", "any size"
	if r.Count >= 0 {
		count = fmt.Sprintf("%d deliveries", r.Count)
	}
	if r.Bytes >= 0 {
		size = formatSize(r.Bytes)
	}
	return count + " or " + size
}

// sizeUnits are the suffixes ParseRetention accepts, decimal and binary alike in powers of 1024,
// as tools such as docker do: 64MB and 64MiB are both 64 << 20 bytes.
var sizeUnits = []struct {
	suffix string
	shift  uint
}{
	{"KIB", 10}, {"MIB", 20}, {"GIB", 30},
	{"KB", 10}, {"MB", 20}, {"GB", 30},
	{"K", 10}, {"M", 20}, {"G", 30}, {"B", 0},
}

// ParseRetention reads a count of deliveries ("5000") or a size ("64MB", "512KiB", "1G";
// units are powers of 1024) and returns that one bound, the other lifted: a size keeps as
// many deliveries as fit, a count keeps that many whatever their size. "0" or "0MB" is not
// accepted: a mock that keeps nothing cannot show what it did.
func ParseRetention(s string) (Retention, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if t == "" {
		return Retention{}, errors.New("retain: empty; want a count such as 5000 or a size such as 64MB")
	}
	for _, u := range sizeUnits {
		digits, ok := strings.CutSuffix(t, u.suffix)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(digits), 10, 64)
		if err != nil || n <= 0 || n > math.MaxInt64>>u.shift {
			return Retention{}, fmt.Errorf("retain %q: want a positive whole size such as 64MB, 512KB or 1GB", s)
		}
		return Retention{Count: -1, Bytes: n << u.shift}, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n <= 0 {
		return Retention{}, fmt.Errorf("retain %q: want a positive count such as 5000 or a size such as 64MB", s)
	}
	return Retention{Count: n, Bytes: -1}, nil
}

func formatSize(n int64) string {
	for _, u := range []struct {
		suffix string
		shift  uint
	}{{"GB", 30}, {"MB", 20}, {"KB", 10}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d%s", n>>u.shift, u.suffix)
		}
	}
	return fmt.Sprintf("%dB", n)
}

// finished is a final delivery in retention order, with the size it counts for.
type finished struct {
	seq  uint64
	size int64
}

// recordOverhead is a final delivery's memory beyond its bytes: the record, its map entry and
// the strings it holds, roughly.
const recordOverhead = 512

// size estimates the memory a final delivery holds.
func (r *record) size() int64 {
	n := recordOverhead + len(r.Payload) + len(r.Reason) + len(r.URL)
	for _, a := range r.Attempts {
		n += 160 + len(a.URL) + len(a.Response) + len(a.Error)
	}
	return int64(n)
}
