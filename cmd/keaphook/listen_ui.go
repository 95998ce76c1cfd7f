package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/tunnel/receiver"
	"github.com/keaphook/keaphook/tunnel/register"
)

// listenUI is how `keaphook listen` talks: readable coloured lines, or with --json one JSON
// object per line (through the ui's logger). Nothing here ever prints a secret.
type listenUI struct {
	u       *ui
	log     *slog.Logger
	verbose bool
	delayed bool // hooks are confirmed through delayedVerify: a hint says so
}

func newListenUI(u *ui, verbose bool) *listenUI {
	return &listenUI{u: u, log: u.Logger(), verbose: verbose}
}

type tone int

const (
	toneInfo tone = iota
	toneGood
	toneWarn
	toneBad
	toneHead
)

// say prints msg in its tone, or logs it with attrs as one JSON object.
func (l *listenUI) say(t tone, msg string, attrs ...any) {
	if l.u.json {
		level := map[tone]slog.Level{toneWarn: slog.LevelWarn, toneBad: slog.LevelError}[t]
		l.log.Log(context.Background(), level, msg, attrs...)
		return
	}
	print := map[tone]func(string, ...any){
		toneInfo: l.u.Infof, toneGood: l.u.Successf, toneWarn: l.u.Warnf, toneBad: l.u.Failf, toneHead: l.u.Headf,
	}[t]
	print("%s", msg)
}

func (l *listenUI) fail(format string, args ...any) { l.say(toneBad, fmt.Sprintf(format, args...)) }
func (l *listenUI) warn(format string, args ...any) { l.say(toneWarn, fmt.Sprintf(format, args...)) }

func (l *listenUI) banner(f *listenFlags, public string, replayProtected bool) {
	shown := keap.ShownURL(f.forwardTo)
	forward := shown
	if f.forwardTo == "" {
		forward = "none: deliveries are answered 200 and printed (add --forward-to URL)"
	}
	handshake := "answered at once, X-Hook-Secret echoed"
	if f.delayed {
		handshake = "answered without the echo, confirmed through delayedVerify"
	}
	l.say(toneHead, "keaphook relay listening at "+public, "publicUrl", public, "forwardTo", shown,
		"delayed", f.delayed, "sign", f.signing.sign, "record", f.record, "replayProtected", replayProtected)
	defer l.replayWarning(f.signing.sign)
	if l.u.json {
		return
	}
	if f.caPath != "" {
		l.u.Infof("  TLS:         a certificate from the local CA %s; senders must trust that file", f.caPath)
	}
	l.u.Infof("  forward to:  %s", forward)
	l.u.Infof("  handshake:   %s", handshake)
	if f.signing.sign != "none" {
		l.u.Infof("  signatures:  %s required; unsigned or wrongly signed deliveries get 401", f.signing.sign)
	}
	if replayProtected {
		l.u.Infof("  replays:     refused with 401: a Standard Webhooks message (same id and timestamp) is taken once")
	}
	if f.record != "" {
		l.u.Infof("  recording:   %s (replay with: keaphook replay %s --to URL)", f.record, f.record)
	}
	if len(f.register) == 0 {
		l.u.Infof("  hook URL:    %s/hooks/<event key> (or any path: every POST is taken)", public)
	}
}

// replayWarning says at start that hmac-hex deliveries cannot be protected from replay.
func (l *listenUI) replayWarning(sign string) {
	if sign == "hmac-hex" {
		l.say(toneWarn, "hmac-hex signs the body only, with no timestamp or id: a copy of a signed delivery "+
			"cannot be told from a new one, so replays are forwarded; --sign standard refuses them")
	}
}

func (l *listenUI) ready(registered bool) {
	msg := "Waiting for deliveries. Press Ctrl-C to stop."
	if registered {
		msg = "Waiting for deliveries. Press Ctrl-C to stop and delete the hooks this run created."
	}
	l.say(toneInfo, msg)
}

func (l *listenUI) stopped() { l.say(toneInfo, "relay stopped") }

// notice shows one thing the registrar did.
func (l *listenUI) notice(n register.Notice) {
	switch n.Kind {
	case register.HookReady:
		l.hookStatus(n.Hook, n.How)
	case register.Confirming:
		l.delayedConfirm(n.Hook)
	case register.HookDeleted:
		l.hookDeleted(n.Hook)
	default:
		l.warn("%v", n.Err)
	}
}

func (l *listenUI) delayedConfirm(h keap.RestHook) {
	l.say(toneInfo, fmt.Sprintf("hook %s (%s): handshake answered without the echo; handing the secret back through POST /v1/hooks/%s/delayedVerify",
		h.Key, h.EventKey, h.Key), "hook", h.Key, "eventKey", h.EventKey)
}

// hookStatus shows a hook's status, saying how it came to be (created, reused...), and
// when it is not Verified, what to do.
func (l *listenUI) hookStatus(h keap.RestHook, how string) {
	attrs := []any{"hook", h.Key, "eventKey", h.EventKey, "hookUrl", h.HookURL, "status", string(h.Status), "how", how}
	line := fmt.Sprintf("hook %s %s -> %s %s: %s", h.Key, h.EventKey, h.HookURL, how, h.Status)
	switch h.Status {
	case keap.StatusVerified:
		l.say(toneGood, line, attrs...)
	default:
		hint := "Keap's handshake did not reach this relay: is the URL reachable from Keap? Real Keap needs a public URL (--tunnel ngrok)"
		if l.delayed {
			hint = "no handshake arrived to confirm; check that the URL is reachable from Keap"
		}
		l.say(toneWarn, line+". "+hint+"; then POST /v1/hooks/"+h.Key+"/verify or restart listen", append(attrs, "hint", hint)...)
	}
}

func (l *listenUI) hookDeleted(h keap.RestHook) {
	l.say(toneInfo, fmt.Sprintf("deleted hook %s (%s)", h.Key, h.EventKey), "hook", h.Key, "eventKey", h.EventKey, "deleted", true)
}

// exchange prints one request the relay answered: one line, the body too with --verbose.
func (l *listenUI) exchange(ev receiver.Exchange) {
	t, line := exchangeLine(ev)
	attrs := exchangeAttrs(ev)
	if l.verbose && len(ev.Body) > 0 {
		attrs = append(attrs, "body", bodyAttr(ev.Body))
	}
	l.say(t, line, attrs...)
	if ev.RecordError != "" && !l.u.json {
		l.u.Warnf("  #%d is on record, but %s", ev.Seq, ev.RecordError)
	}
	if l.verbose && !l.u.json && len(ev.Body) > 0 {
		l.u.Infof("%s", prettyBody(ev.Body))
	}
}

func exchangeLine(ev receiver.Exchange) (tone, string) {
	head := ev.Time.Format("15:04:05")
	if ev.Seq > 0 {
		head += fmt.Sprintf(" #%d", ev.Seq)
	}
	switch ev.Kind {
	case receiver.KindHandshake:
		if ev.Status != http.StatusOK { // the relay could not record it
			return toneBad, fmt.Sprintf("%s handshake on %s: %d %s", head, ev.Path, ev.Status, ev.Reason)
		}
		how := "answered 200 with X-Hook-Secret echoed"
		if ev.Delayed {
			how = "answered 200 without the echo (delayed confirmation)"
		}
		return toneInfo, fmt.Sprintf("%s handshake on %s: %s", head, ev.Path, how)
	case receiver.KindDelivery:
		return deliveryLine(head, ev)
	case receiver.KindRejected:
		line := fmt.Sprintf("%s rejected delivery on %s: %d %s", head, ev.Path, ev.Status, ev.Reason)
		if ev.Status == http.StatusRequestEntityTooLarge {
			line += " (raise the limit with --max-body)"
		}
		return toneWarn, line
	case receiver.KindStatus:
		return toneInfo, fmt.Sprintf("%s status page requested (%s %s)", head, ev.Method, ev.Path)
	default:
		return toneWarn, fmt.Sprintf("%s refused %s %s: %d %s", head, ev.Method, ev.Path, ev.Status, ev.Reason)
	}
}

func deliveryLine(head string, ev receiver.Exchange) (tone, string) {
	what := "delivery"
	if ev.EventKey != "" {
		what = fmt.Sprintf("%s  %d id%s %s", ev.EventKey, ev.Objects, plural(ev.Objects), idList(ev))
	}
	line := fmt.Sprintf("%s %s", head, what)
	if ev.Expanded+ev.Failed > 0 {
		line += fmt.Sprintf("  expanded %d (%d failed)", ev.Expanded, ev.Failed)
	}
	fw := ev.Forward
	switch {
	case ev.Reason != "":
		return toneBad, fmt.Sprintf("%s -> %d: %s", line, ev.Status, ev.Reason)
	case fw == nil:
		return toneInfo, line + "  (answered 200; not forwarded)"
	case fw.Status >= 400:
		return toneBad, fmt.Sprintf("%s -> app %d %s in %s; Keap counts this as a failed attempt and retries",
			line, fw.Status, http.StatusText(fw.Status), fw.Duration.Round(time.Millisecond))
	default:
		return toneGood, fmt.Sprintf("%s -> app %d %s in %s", line, fw.Status, http.StatusText(fw.Status), fw.Duration.Round(time.Millisecond))
	}
}

func idList(ev receiver.Exchange) string {
	ids := make([]string, len(ev.IDs))
	for i, id := range ev.IDs {
		ids[i] = fmt.Sprint(id)
	}
	s := "[" + strings.Join(ids, " ")
	if ev.Objects > len(ev.IDs) {
		s += " ..."
	}
	return s + "]"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func exchangeAttrs(ev receiver.Exchange) []any {
	attrs := []any{"kind", string(ev.Kind), "seq", ev.Seq, "method", ev.Method, "path", ev.Path, "status", ev.Status}
	if ev.EventKey != "" {
		attrs = append(attrs, "eventKey", ev.EventKey, "objects", ev.Objects, "ids", ev.IDs)
	}
	if fw := ev.Forward; fw != nil {
		attrs = append(attrs, "forwardStatus", fw.Status, "forwardMs", fw.Duration.Milliseconds())
	}
	if ev.Reason != "" {
		attrs = append(attrs, "reason", ev.Reason)
	}
	if ev.Delayed {
		attrs = append(attrs, "delayed", true)
	}
	if ev.RecordError != "" {
		attrs = append(attrs, "record_error", ev.RecordError)
	}
	return attrs
}

func bodyAttr(body []byte) any {
	if json.Valid(body) {
		return json.RawMessage(body)
	}
	return string(body)
}

func prettyBody(body []byte) string {
	var buf bytes.Buffer
	if json.Indent(&buf, body, "    ", "  ") == nil {
		return "    " + buf.String()
	}
	return "    " + string(body)
}
