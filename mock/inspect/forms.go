package inspect

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits of the inspector's forms, the same as the mock's API.
const (
	maxEmitIDs  = 10_000
	maxAdvance  = 366 * 24 * time.Hour
	maxPage     = 1000
	maxFieldLen = 2048
)

// formError is a form field that cannot be used, with what to do about it.
type formError string

func (e formError) Error() string { return string(e) }

func formErrorf(format string, args ...any) error { return formError(fmt.Sprintf(format, args...)) }

// emitForm is the emit form: an event key, and ids or a count.
type emitForm struct {
	EventKey string
	IDs      []int64
	Count    int
}

func parseEmitForm(v url.Values) (emitForm, error) {
	f := emitForm{EventKey: strings.TrimSpace(v.Get("eventKey"))}
	if f.EventKey == "" {
		return f, formError("Pick an event key, e.g. contact.add.")
	}
	if len(f.EventKey) > 100 {
		return f, formError("That event key is too long; pick one from the list.")
	}
	idsText, countText := strings.TrimSpace(v.Get("ids")), strings.TrimSpace(v.Get("count"))
	switch {
	case idsText != "" && countText != "":
		return f, formError("Give either ids or a count, not both.")
	case idsText == "" && countText == "":
		return f, formError("Give ids (e.g. 12, 13) or a count of new objects.")
	case idsText != "":
		ids, err := parseIDs(idsText)
		f.IDs = ids
		return f, err
	}
	n, err := strconv.Atoi(countText)
	if err != nil || n < 1 || n > maxEmitIDs {
		return f, formErrorf("The count must be a whole number from 1 to %d, not %q.", maxEmitIDs, clip(countText))
	}
	f.Count = n
	return f, nil
}

// parseIDs reads ids separated by commas or spaces: "12, 13 14".
func parseIDs(s string) ([]int64, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == ';' })
	if len(fields) > maxEmitIDs {
		return nil, formErrorf("At most %d ids at once.", maxEmitIDs)
	}
	ids := make([]int64, 0, len(fields))
	for _, f := range fields {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, formErrorf("Ids are positive whole numbers separated by commas; %q is not one.", clip(f))
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, formError("Give ids (e.g. 12, 13) or a count of new objects.")
	}
	return ids, nil
}

// parseAdvance reads how far to move the clock: a Go duration such as "90s" or "1h30m".
func parseAdvance(v url.Values) (time.Duration, error) {
	by := strings.TrimSpace(v.Get("by"))
	if by == "" {
		return 0, formError("Say how far to move the clock, e.g. 30s, 5m or 1h30m.")
	}
	d, err := time.ParseDuration(by)
	switch {
	case err != nil:
		return 0, formErrorf("%q is not a duration; write e.g. 30s, 5m or 1h30m.", clip(by))
	case d <= 0 || d > maxAdvance:
		return 0, formErrorf("The clock moves forward by more than 0 and at most %s, not %s.", maxAdvance, d)
	}
	return d, nil
}

// parseChaos reads the chaos switch: "on" or "off".
func parseChaos(v url.Values) (bool, error) {
	switch v.Get("chaos") {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, formError("Chaos is switched on or off.")
}

// hookForm is the new-hook form.
type hookForm struct{ EventKey, HookURL string }

func parseHookForm(v url.Values) (hookForm, error) {
	f := hookForm{EventKey: strings.TrimSpace(v.Get("eventKey")), HookURL: strings.TrimSpace(v.Get("hookUrl"))}
	switch {
	case f.EventKey == "":
		return f, formError("Pick the event key the hook listens for, e.g. contact.add.")
	case f.HookURL == "":
		return f, formError("Give the hook URL Keap will POST to, e.g. http://127.0.0.1:4000/.")
	case len(f.HookURL) > maxFieldLen || len(f.EventKey) > 100:
		return f, formError("That field is too long.")
	}
	return f, nil
}

// listQuery is what the deliveries list shows: a state (or all) and a page.
type listQuery struct {
	State string
	Page  int
}

func parseListQuery(v url.Values, states []string) (listQuery, error) {
	q := listQuery{Page: 1, State: v.Get("state")}
	if q.State != "" && !slices.Contains(states, q.State) {
		bad := q.State
		q.State = ""
		return q, formErrorf("There is no state %q; the states are %s.", clip(bad), strings.Join(states, ", "))
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > maxPage {
			return q, formErrorf("The page is a whole number from 1 to %d, not %q.", maxPage, clip(p))
		}
		q.Page = n
	}
	return q, nil
}

// clip shortens what a person typed before it is quoted back.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
