package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
)

// ui is the only code that prints in colour. Colour is on only when the writer is a terminal
// and NO_COLOR is unset; --json replaces the human lines with one JSON object per line.
type ui struct {
	w     io.Writer
	json  bool
	mu    *sync.Mutex
	green *color.Color
	yell  *color.Color
	red   *color.Color
	bold  *color.Color
	dim   *color.Color
}

func newUI(w io.Writer, getenv func(string) string, jsonMode bool) *ui {
	u := &ui{
		w: w, json: jsonMode, mu: &sync.Mutex{},
		green: color.New(color.FgGreen), yell: color.New(color.FgYellow),
		red: color.New(color.FgRed), bold: color.New(color.Bold), dim: color.New(color.Faint),
	}
	on := colorWanted(w, getenv)
	for _, c := range []*color.Color{u.green, u.yell, u.red, u.bold, u.dim} {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return u
}

func colorWanted(w io.Writer, getenv func(string) string) bool {
	// NO_COLOR counts when set to anything non-empty (no-color.org).
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func (u *ui) line(c *color.Color, format string, args ...any) {
	u.mu.Lock()
	defer u.mu.Unlock()
	msg := fmt.Sprintf(format, args...)
	if c == nil {
		fmt.Fprintln(u.w, msg)
		return
	}
	fmt.Fprintln(u.w, c.Sprint(msg))
}

func (u *ui) Infof(format string, args ...any)    { u.line(nil, format, args...) }
func (u *ui) Successf(format string, args ...any) { u.line(u.green, format, args...) }
func (u *ui) Warnf(format string, args ...any)    { u.line(u.yell, format, args...) }
func (u *ui) Failf(format string, args ...any)    { u.line(u.red, format, args...) }
func (u *ui) Headf(format string, args ...any)    { u.line(u.bold, format, args...) }

// Logger returns the slog.Logger libraries report through: JSON lines with --json, otherwise
// one readable line per record, coloured by level.
func (u *ui) Logger() *slog.Logger {
	if u.json {
		return slog.New(&lockedJSON{mu: u.mu, h: slog.NewJSONHandler(u.w, nil)})
	}
	return slog.New(&lineHandler{u: u})
}

// lockedJSON shares the ui's lock so JSON records and plain lines never interleave mid-line.
type lockedJSON struct {
	mu *sync.Mutex
	h  slog.Handler
}

func (l *lockedJSON) Enabled(ctx context.Context, lv slog.Level) bool { return l.h.Enabled(ctx, lv) }
func (l *lockedJSON) Handle(ctx context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.h.Handle(ctx, r)
}
func (l *lockedJSON) WithAttrs(as []slog.Attr) slog.Handler {
	return &lockedJSON{mu: l.mu, h: l.h.WithAttrs(as)}
}
func (l *lockedJSON) WithGroup(name string) slog.Handler {
	return &lockedJSON{mu: l.mu, h: l.h.WithGroup(name)}
}

// lineHandler prints "15:04:05 message key=value ..." with the message coloured by level.
type lineHandler struct {
	u     *ui
	attrs []slog.Attr
}

func (h *lineHandler) Enabled(_ context.Context, lv slog.Level) bool { return lv >= slog.LevelInfo }

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(h.u.dim.Sprint(r.Time.Format("15:04:05")) + " ")
	switch {
	case r.Level >= slog.LevelError:
		b.WriteString(h.u.red.Sprint(r.Message))
	case r.Level >= slog.LevelWarn:
		b.WriteString(h.u.yell.Sprint(r.Message))
	default:
		b.WriteString(r.Message)
	}
	attrs := append([]slog.Attr(nil), h.attrs...)
	r.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a); return true })
	for _, a := range attrs {
		b.WriteString(h.u.dim.Sprintf(" %s=%v", a.Key, a.Value))
	}
	h.u.mu.Lock()
	defer h.u.mu.Unlock()
	_, err := fmt.Fprintln(h.u.w, b.String())
	return err
}

func (h *lineHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &lineHandler{u: h.u, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}

func (h *lineHandler) WithGroup(string) slog.Handler { return h }
