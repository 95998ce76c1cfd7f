package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// Exit codes shared by every command. exit, below, is the only code that chooses one.
const (
	exitOK          = 0
	exitFailure     = 1   // a check failed or a command could not do its job
	exitUsage       = 2   // the command line (or a KEAPHOOK_* variable) was wrong
	exitInterrupted = 130 // Ctrl-C or SIGTERM before the command finished (128 + SIGINT)
)

// usageError is a command line that cannot work. It is printed as one line plus a pointer
// to the command's help.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usage error; the command's name and the pointer to --help are added when
// it is printed.
func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// asUsage marks err, which came from checking the command line, as a usage error.
func asUsage(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err}
}

// errNoCommand: keaphook was run without a command; the overview, on stderr, says the rest.
var errNoCommand = &usageError{errors.New("no command given")}

// errReported ends a command that failed and has already said why in its own output (a
// failed check, a replay answered 500): exit 1 with nothing more printed.
var errReported = errors.New("failed, as reported above")

// interrupted says how far a command got when Ctrl-C stopped it; it exits 130.
func interrupted(format string, args ...any) error {
	return &interruptedError{fmt.Sprintf(format, args...)}
}

type interruptedError struct{ msg string }

func (e *interruptedError) Error() string        { return e.msg }
func (e *interruptedError) Is(target error) bool { return target == context.Canceled }

// exit turns what a command returned into the exit code, printing at most the one line
// that says why to stderr. It is the only place errors become exit codes.
func exit(stderr io.Writer, cmd string, err error) int {
	prefix := "keaphook"
	if cmd != "" {
		prefix += " " + cmd
	}
	var usage *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errReported):
		return exitFailure
	case errors.Is(err, errNoCommand):
		return exitUsage
	case errors.Is(err, context.Canceled):
		if err == context.Canceled {
			err = errors.New("interrupted")
		}
		fmt.Fprintf(stderr, "%s: %v\n", prefix, err)
		return exitInterrupted
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "%s: %v\nsee `%s --help`\n", prefix, err, prefix)
		return exitUsage
	}
	fmt.Fprintf(stderr, "%s: %v\n", prefix, err)
	return exitFailure
}
