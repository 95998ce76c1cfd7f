package tunnel

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// ErrNoAuthToken is returned by Ngrok when no auth token is configured. The SDK would
// otherwise try to connect anonymously and keep retrying; this says at once what to do.
var ErrNoAuthToken = errors.New("ngrok needs an auth token: set NGROK_AUTHTOKEN; get one at dashboard.ngrok.com")

// ErrNgrokTimeout is wrapped by the error Ngrok returns when the tunnel was not up within
// NgrokConfig.Timeout; its message carries the last connection error seen.
var ErrNgrokTimeout = errors.New("ngrok: the tunnel did not come up in time")

// ErrNgrokInterrupted is wrapped by the error Ngrok returns when its context ended (Ctrl-C)
// before the tunnel was up.
var ErrNgrokInterrupted = errors.New("ngrok: interrupted while connecting")

// NgrokError is a failure the ngrok service reported with one of its ERR_NGROK_* codes,
// with a one-line hint on what to do about it.
type NgrokError struct {
	Code string // e.g. "ERR_NGROK_105"; "" when ngrok refused the token without a code
	Hint string // what to do, in one line
	Msg  string // ngrok's own message, first line only
	Err  error  // the error as the SDK returned it
}

func (e *NgrokError) Error() string {
	msg := "ngrok: " + e.Msg
	if e.Code != "" {
		msg = fmt.Sprintf("ngrok %s: %s", e.Code, e.Msg)
	}
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

func (e *NgrokError) Unwrap() error { return e.Err }

// ngrokHints maps the codes a developer meets when starting a tunnel to what to do.
var ngrokHints = map[string]string{
	"ERR_NGROK_105":  authTokenHint,
	"ERR_NGROK_107":  "check NGROK_AUTHTOKEN: ngrok rejected it (revoked or reset?); copy the current one from dashboard.ngrok.com/get-started/your-authtoken",
	"ERR_NGROK_108":  "your account already has as many ngrok agent sessions as its plan allows; stop the other ngrok agent (see dashboard.ngrok.com/agents) and try again",
	"ERR_NGROK_120":  "this ngrok library version is no longer accepted; update keaphook",
	"ERR_NGROK_121":  "this ngrok library version is no longer accepted; update keaphook",
	"ERR_NGROK_313":  "the ngrok URL must be a domain reserved on your account (dashboard.ngrok.com/domains); leave it unset for a random URL",
	"ERR_NGROK_319":  "the ngrok URL must be a domain reserved on your account (dashboard.ngrok.com/domains); leave it unset for a random URL",
	"ERR_NGROK_320":  "the ngrok URL's domain is reserved by another account or otherwise unavailable; pick one of your own (dashboard.ngrok.com/domains)",
	"ERR_NGROK_334":  "an endpoint with this URL is already online (another ngrok agent?); stop it or choose another ngrok URL",
	"ERR_NGROK_4018": "ngrok requires a verified account and its auth token; sign up at dashboard.ngrok.com and set NGROK_AUTHTOKEN",
}

// authTokenHint is the hint for a token ngrok refused, with or without a code.
const authTokenHint = "check NGROK_AUTHTOKEN: it is not a valid ngrok auth token; copy it again from dashboard.ngrok.com/get-started/your-authtoken"

var ngrokCode = regexp.MustCompile(`ERR_NGROK_\d+`)

// isAuthRejection reports whether ngrok's service refused the auth token. The SDK words that
// as "authentication failed: ..." (an attempt that never reached ngrok says "failed to send
// authentication request"), and it is final: retrying with the same token cannot succeed.
func isAuthRejection(err error) bool {
	return err != nil && strings.Contains(err.Error(), "authentication failed")
}

// ngrokErrorCode returns the ERR_NGROK_* code carried by err, or "". The SDK exposes the code
// through Code() on errors it returns and ErrorCode() on errors it reports through events;
// both also carry it in their text, which is the last resort.
func ngrokErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var coded interface{ Code() string }
	if errors.As(err, &coded) && coded.Code() != "" {
		return coded.Code()
	}
	var legacy interface{ ErrorCode() string }
	if errors.As(err, &legacy) && legacy.ErrorCode() != "" {
		return legacy.ErrorCode()
	}
	return ngrokCode.FindString(err.Error())
}

// explainNgrok turns an error carrying an ngrok code into a *NgrokError; other errors are
// returned as they are.
func explainNgrok(err error) error {
	code := ngrokErrorCode(err)
	if code == "" && isAuthRejection(err) {
		return &NgrokError{Hint: authTokenHint, Msg: firstLine(err.Error(), "ERR_NGROK"), Err: err}
	}
	if code == "" {
		return err
	}
	hint, ok := ngrokHints[code]
	if !ok {
		hint = "see https://ngrok.com/docs/errors/" + strings.ToLower(code)
	}
	return &NgrokError{Code: code, Hint: hint, Msg: firstLine(err.Error(), code), Err: err}
}

// firstLine keeps the first meaningful line of ngrok's multi-line messages, without the code
// and the documentation link, so the console shows one line.
func firstLine(msg, code string) string {
	for line := range strings.SplitSeq(msg, "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, code, ""))
		line = strings.Trim(line, " :")
		if line != "" && !strings.HasPrefix(line, "https://ngrok.com/docs/errors") {
			return line
		}
	}
	return "error reported by ngrok"
}

// withoutToken keeps the auth token out of an error's text. ngrok quotes a rejected token in
// its message ("Your authtoken: ..."); only the first line of a coded error is shown, but an
// error without a code is shown whole, and errors end up on the console.
func withoutToken(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), token, "[redacted]"), err: err}
}

// redactedError is an error whose text had a secret taken out; errors.Is and errors.As
// still see the original.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// ngrokEndpointURL reads NgrokConfig.URL: a bare domain ("myapp.ngrok.app") or an http(s) URL.
// Only the scheme and host matter; a path or query would silently be ignored by ngrok, so
// they are refused here.
func ngrokEndpointURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "":
		return "", fmt.Errorf("ngrok URL %q is not a domain or an http(s) URL", s)
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("ngrok URL %q must use https (or http), not %s: the relay speaks HTTP", s, u.Scheme)
	case strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.User != nil:
		return "", fmt.Errorf("ngrok URL %q must be just a domain, without path, query or user", s)
	}
	return u.Scheme + "://" + u.Host, nil
}
