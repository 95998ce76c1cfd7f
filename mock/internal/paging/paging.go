// Package paging is the one reading of the paging parameters Keap's lists take: v1's limit
// and offset, v2's page_size, and the part of a list a page covers. Its readers only judge a
// raw value; each caller words its own 400, since mock/resources and mock/spec answer in
// their own words.
package paging

import "strconv"

// MaxPage is the most items a page holds, and the size of a page that asks for no size:
// Keap's v1 document defaults limit to 1000, and v2's allows page_size from 0 to 1000.
const MaxPage = 1000

// The least value each size parameter takes. Keap is silent on a v1 limit of 0; the mock
// refuses it with the range rather than guess. v2's document allows a page_size of 0, which
// means the default, as an absent one does.
const (
	LeastLimit    = 1
	LeastPageSize = 0
)

// Whole reads raw as a whole number from least to most. ok is false for anything else:
// an empty string, letters, a fraction, a number out of range or too long for an int.
// A leading sign is read, as strconv.Atoi reads it.
func Whole(raw string, least, most int) (n int, ok bool) {
	n, err := strconv.Atoi(raw)
	if err != nil || n < least || n > most {
		return 0, false
	}
	return n, true
}

// Limit reads v1's limit: MaxPage when absent, else 1 to MaxPage.
func Limit(raw string) (int, bool) {
	if raw == "" {
		return MaxPage, true
	}
	return Whole(raw, LeastLimit, MaxPage)
}

// PageSize reads v2's page_size: MaxPage when absent or 0, else 1 to MaxPage.
func PageSize(raw string) (int, bool) {
	if raw == "" {
		return MaxPage, true
	}
	n, ok := Whole(raw, LeastPageSize, MaxPage)
	if ok && n == 0 {
		n = MaxPage
	}
	return n, ok
}

// Offset reads where a page starts: 0 when absent, else 0 to most. Callers that add a size
// to the offset bound it so the sum cannot overflow; Window needs no bound.
func Offset(raw string, most int) (int, bool) {
	if raw == "" {
		return 0, true
	}
	return Whole(raw, 0, most)
}

// Window is the part [from, to) of a list of n items that a page of size items starting at
// offset covers: empty past the end, and never overflowing, however large offset is.
func Window(offset, size, n int) (from, to int) {
	from = min(max(offset, 0), n)
	return from, from + min(max(size, 0), n-from)
}
