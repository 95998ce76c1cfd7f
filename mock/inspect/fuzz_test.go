package inspect

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkFormError fails unless err is nil or a formError with a sentence that does not run on.
func checkFormError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	fe, ok := err.(formError)
	if !ok || fe == "" || len(fe) > 300 || !utf8.ValidString(string(fe)) {
		t.Fatalf("error %T %q: want a short formError sentence", err, err)
	}
}

func FuzzParseEmitForm(f *testing.F) {
	f.Add("contact.add", "12, 13", "")
	f.Add("contact.add", "", "3")
	f.Add("", "1", "1")
	f.Add("x", "-1,,2;3\n4", "")
	f.Add("x", "", "99999999999999999999")
	f.Fuzz(func(t *testing.T, key, ids, count string) {
		form, err := parseEmitForm(url.Values{"eventKey": {key}, "ids": {ids}, "count": {count}})
		checkFormError(t, err)
		if err != nil {
			return
		}
		if (len(form.IDs) > 0) == (form.Count > 0) || form.EventKey == "" || len(form.IDs) > maxEmitIDs || form.Count > maxEmitIDs {
			t.Fatalf("accepted %+v", form)
		}
		for _, id := range form.IDs {
			if id <= 0 {
				t.Fatalf("accepted id %d", id)
			}
		}
	})
}

func FuzzParseAdvance(f *testing.F) {
	for _, s := range []string{"1m", "5m", "30m", "1h30m", "0s", "-5m", "soon", "9999999h", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, by string) {
		d, err := parseAdvance(url.Values{"by": {by}})
		checkFormError(t, err)
		if err == nil && (d <= 0 || d > maxAdvance) {
			t.Fatalf("accepted %s", d)
		}
	})
}

func FuzzParseHookForm(f *testing.F) {
	f.Add("contact.add", "http://127.0.0.1:4000/")
	f.Add("", "")
	f.Add("contact.add", strings.Repeat("x", 3000))
	f.Fuzz(func(t *testing.T, key, hookURL string) {
		_, err := parseHookForm(url.Values{"eventKey": {key}, "hookUrl": {hookURL}})
		checkFormError(t, err)
	})
}

func FuzzParseListQuery(f *testing.F) {
	f.Add("state=Failed&page=2")
	f.Add("page=0")
	f.Add("state=%00&page=-1")
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := parseListQuery(v, stateNames())
		checkFormError(t, err)
		if q.Page < 1 || q.Page > maxPage || (q.State != "" && !strings.Contains(strings.Join(stateNames(), ","), q.State)) {
			t.Fatalf("query %+v from %q", q, raw)
		}
	})
}
