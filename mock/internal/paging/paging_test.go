package paging

import (
	"math"
	"strconv"
	"testing"
)

// The readers of the paging parameters at their edges. want -1 marks a refused value.
func TestReaders(t *testing.T) {
	maxInt := strconv.Itoa(math.MaxInt)
	tests := []struct {
		raw                    string
		limit, pageSize, start int
	}{
		{raw: "", limit: MaxPage, pageSize: MaxPage, start: 0},
		{raw: "0", limit: -1, pageSize: MaxPage, start: 0},
		{raw: "1", limit: 1, pageSize: 1, start: 1},
		{raw: "1000", limit: 1000, pageSize: 1000, start: 1000},
		{raw: "1001", limit: -1, pageSize: -1, start: 1001},
		{raw: "-1", limit: -1, pageSize: -1, start: -1},
		{raw: "-0", limit: -1, pageSize: MaxPage, start: 0},
		{raw: "+5", limit: 5, pageSize: 5, start: 5},
		{raw: "007", limit: 7, pageSize: 7, start: 7},
		{raw: "abc", limit: -1, pageSize: -1, start: -1},
		{raw: "5.0", limit: -1, pageSize: -1, start: -1},
		{raw: "1e3", limit: -1, pageSize: -1, start: -1},
		{raw: "0x10", limit: -1, pageSize: -1, start: -1},
		{raw: " 5", limit: -1, pageSize: -1, start: -1},
		{raw: "5 ", limit: -1, pageSize: -1, start: -1},
		{raw: "1073741824", limit: -1, pageSize: -1, start: 1 << 30},
		{raw: "1073741825", limit: -1, pageSize: -1, start: -1},
		{raw: maxInt, limit: -1, pageSize: -1, start: -1},
		{raw: "99999999999999999999999", limit: -1, pageSize: -1, start: -1},
		{raw: "-99999999999999999999999", limit: -1, pageSize: -1, start: -1},
	}
	check := func(name, raw string, got int, ok bool, want int) {
		t.Helper()
		switch {
		case want < 0 && ok:
			t.Errorf("%s(%q) = %d, want it refused", name, raw, got)
		case want >= 0 && (!ok || got != want):
			t.Errorf("%s(%q) = %d, %v; want %d", name, raw, got, ok, want)
		}
	}
	for _, tt := range tests {
		n, ok := Limit(tt.raw)
		check("Limit", tt.raw, n, ok, tt.limit)
		n, ok = PageSize(tt.raw)
		check("PageSize", tt.raw, n, ok, tt.pageSize)
		n, ok = Offset(tt.raw, 1<<30)
		check("Offset", tt.raw, n, ok, tt.start)
	}
	// An offset bounded only by int takes the largest int, and no more.
	if n, ok := Offset(maxInt, math.MaxInt); !ok || n != math.MaxInt {
		t.Errorf("Offset(%q, MaxInt) = %d, %v", maxInt, n, ok)
	}
	if _, ok := Whole("9223372036854775808", 0, math.MaxInt); ok {
		t.Error("Whole took a number one past the largest int")
	}
}

func TestWindow(t *testing.T) {
	tests := []struct{ offset, size, n, from, to int }{
		{0, 10, 25, 0, 10},
		{20, 10, 25, 20, 25},
		{25, 10, 25, 25, 25},
		{30, 10, 25, 25, 25},
		{0, 10, 0, 0, 0},
		{math.MaxInt, MaxPage, 5, 5, 5},
		{3, math.MaxInt, 5, 3, 5},
		{math.MaxInt - 1, math.MaxInt, math.MaxInt, math.MaxInt - 1, math.MaxInt},
		{-4, 2, 5, 0, 2},
		{1, -2, 5, 1, 1},
	}
	for _, tt := range tests {
		from, to := Window(tt.offset, tt.size, tt.n)
		if from != tt.from || to != tt.to {
			t.Errorf("Window(%d, %d, %d) = [%d, %d), want [%d, %d)", tt.offset, tt.size, tt.n, from, to, tt.from, tt.to)
		}
	}
}
