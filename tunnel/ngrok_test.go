package tunnel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// codedErr stands for the SDK's public error type (Code()).
type codedErr struct{ code, msg string }

func (e codedErr) Error() string { return e.msg }
func (e codedErr) Code() string  { return e.code }

// legacyErr stands for the errors the SDK reports through events (ErrorCode()).
type legacyErr struct{ code, msg string }

func (e legacyErr) Error() string     { return e.msg }
func (e legacyErr) ErrorCode() string { return e.code }

func TestExplainNgrokMapsCodesToHints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     error
		code    string
		hintHas string
		msgWant string
	}{
		{"bad token via Code", codedErr{"ERR_NGROK_105", "authentication failed: The authtoken you specified does not look like a proper ngrok tunnel authtoken.\n\nERR_NGROK_105\n"},
			"ERR_NGROK_105", "dashboard.ngrok.com/get-started/your-authtoken", "authentication failed: The authtoken you specified does not look like a proper ngrok tunnel authtoken."},
		{"revoked token via ErrorCode, wrapped", fmt.Errorf("failed to connect: %w", legacyErr{"ERR_NGROK_107", "authtoken is invalid"}),
			"ERR_NGROK_107", "revoked", "failed to connect: authtoken is invalid"},
		{"session limit, code only in the text", errors.New("Your account is limited to 1 simultaneous ngrok agent sessions.\nERR_NGROK_108\nhttps://ngrok.com/docs/errors/err_ngrok_108"),
			"ERR_NGROK_108", "stop the other ngrok agent", "Your account is limited to 1 simultaneous ngrok agent sessions."},
		{"domain not reserved", codedErr{"ERR_NGROK_319", "failed to start tunnel: custom domain not reserved"}, "ERR_NGROK_319", "dashboard.ngrok.com/domains", ""},
		{"domain of another account", codedErr{"ERR_NGROK_320", "hostname already bound"}, "ERR_NGROK_320", "another account", ""},
		{"plan cannot bind", codedErr{"ERR_NGROK_313", "only paid plans"}, "ERR_NGROK_313", "reserved on your account", ""},
		{"unknown code points at the docs", codedErr{"ERR_NGROK_9999", "something new"}, "ERR_NGROK_9999", "https://ngrok.com/docs/errors/err_ngrok_9999", "something new"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := explainNgrok(tc.err)
			var ne *NgrokError
			if !errors.As(got, &ne) {
				t.Fatalf("explainNgrok = %T %v, want *NgrokError", got, got)
			}
			if ne.Code != tc.code || !strings.Contains(ne.Hint, tc.hintHas) {
				t.Fatalf("code %q hint %q; want code %q and a hint containing %q", ne.Code, ne.Hint, tc.code, tc.hintHas)
			}
			if tc.msgWant != "" && ne.Msg != tc.msgWant {
				t.Errorf("Msg = %q, want %q", ne.Msg, tc.msgWant)
			}
			line := got.Error()
			if strings.Contains(line, "\n") || !strings.HasPrefix(line, "ngrok "+tc.code+": ") {
				t.Errorf("Error() = %q, want one line starting with the code", line)
			}
			if !errors.Is(got, tc.err) {
				t.Errorf("the SDK error is not kept as the cause")
			}
		})
	}
}

func TestExplainNgrokLeavesUncodedErrorsAlone(t *testing.T) {
	t.Parallel()
	plain := errors.New("dial tcp: lookup connect.ngrok-agent.com: no such host")
	if got := explainNgrok(plain); got != plain {
		t.Fatalf("explainNgrok(uncoded) = %v, want it unchanged", got)
	}
	if explainNgrok(nil) != nil {
		t.Fatal("explainNgrok(nil) != nil")
	}
}

func TestNgrokEndpointURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want, errHas string }{
		{"", "", ""},
		{"myapp.ngrok.app", "https://myapp.ngrok.app", ""},
		{"  https://myapp.ngrok.app/ ", "https://myapp.ngrok.app", ""},
		{"http://myapp.ngrok.app", "http://myapp.ngrok.app", ""},
		{"tcp://1.tcp.ngrok.io:1234", "", "must use https"},
		{"https://myapp.ngrok.app/keap", "", "without path"},
		{"https://", "", "not a domain"},
	} {
		got, err := ngrokEndpointURL(tc.in)
		if tc.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("ngrokEndpointURL(%q) error = %v, want one containing %q", tc.in, err, tc.errHas)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ngrokEndpointURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNgrokWithoutTokenFailsAtOnce(t *testing.T) {
	t.Parallel()
	for _, token := range []string{"", "   "} {
		_, err := Ngrok(context.Background(), NgrokConfig{AuthToken: token})
		if !errors.Is(err, ErrNoAuthToken) {
			t.Fatalf("Ngrok(token %q) = %v, want ErrNoAuthToken", token, err)
		}
		if !strings.Contains(err.Error(), "NGROK_AUTHTOKEN") || !strings.Contains(err.Error(), "dashboard.ngrok.com") {
			t.Fatalf("message %q does not say what to do", err)
		}
	}
}

func TestNgrokRejectsABadURLBeforeConnecting(t *testing.T) {
	t.Parallel()
	_, err := Ngrok(context.Background(), NgrokConfig{AuthToken: "x", URL: "https://a.ngrok.app/path"})
	if err == nil || !strings.Contains(err.Error(), "without path") {
		t.Fatalf("err = %v", err)
	}
}

// A coded failure during connect ends the attempt with that error; an uncoded one (network)
// does not, and nothing ends the attempt once the tunnel is up.
func TestConnectorStopsOnCodedErrorsOnly(t *testing.T) {
	t.Parallel()
	ctx, end := context.WithCancelCause(context.Background())
	c := &connector{end: end}
	c.attemptFailed(errors.New("dial tcp: connection refused"))
	if ctx.Err() != nil {
		t.Fatal("an uncoded error ended the attempt; it should be retried until the timeout")
	}
	c.attemptFailed(legacyErr{"ERR_NGROK_105", "authentication failed"})
	if ctx.Err() == nil {
		t.Fatal("a coded error did not end the attempt")
	}
	var ne *NgrokError
	if err := c.why(errors.New("context canceled")); !errors.As(err, &ne) || ne.Code != "ERR_NGROK_105" {
		t.Fatalf("why = %v, want the ERR_NGROK_105 error", err)
	}

	slow := &connector{end: func(error) {}}
	if err := slow.timedOut(time.Second); !errors.Is(err, ErrNgrokTimeout) || !strings.Contains(err.Error(), "no answer within 1s") {
		t.Fatalf("timedOut without attempts = %v", err)
	}
	slow.attemptFailed(errors.New("lookup connect.ngrok-agent.com: no such host"))
	if err := slow.timedOut(time.Second); !strings.Contains(err.Error(), "last with: lookup connect.ngrok-agent.com: no such host") {
		t.Fatalf("timedOut = %v; want the last failure named", err)
	}

	ctx2, end2 := context.WithCancelCause(context.Background())
	up := &connector{end: end2}
	up.connected.Store(true)
	up.attemptFailed(legacyErr{"ERR_NGROK_108", "limit"})
	up.giveUp(ErrNgrokTimeout)
	if ctx2.Err() != nil {
		t.Fatal("a connected tunnel was torn down by a later event")
	}
}

// TestNgrokOnline opens a real tunnel. It needs the internet and an ngrok account, so it
// runs only when asked.
func TestNgrokOnline(t *testing.T) {
	token := os.Getenv("NGROK_AUTHTOKEN")
	if token == "" || os.Getenv("NGROK_TEST_ONLINE") != "1" {
		t.Skip("online ngrok test: set NGROK_AUTHTOKEN and NGROK_TEST_ONLINE=1 to run it (it needs the internet)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	_, err := Ngrok(ctx, NgrokConfig{AuthToken: "not-a-token", Timeout: 20 * time.Second})
	var ne *NgrokError
	if !errors.As(err, &ne) {
		t.Fatalf("bad token: err = %v, want a coded *NgrokError", err)
	}
	t.Logf("bad token: %v", err)

	ln, err := Ngrok(ctx, NgrokConfig{AuthToken: token, URL: os.Getenv("NGROK_TEST_URL")})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if !strings.HasPrefix(ln.PublicURL(), "https://") {
		t.Fatalf("PublicURL = %q", ln.PublicURL())
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "through the tunnel")
	})}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	resp, err := testClient.Get(ln.PublicURL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "through the tunnel" {
		t.Fatalf("body = %q", body)
	}
}

// ngrok quotes a rejected token; the error Ngrok returns never does, coded or not.
func TestNgrokErrorsNeverShowTheToken(t *testing.T) {
	t.Parallel()
	const token = "2abcDEFtoken_4711"
	quoted := "authentication failed: The authtoken you specified does not look like a proper ngrok tunnel authtoken.\nYour authtoken: " + token + "\n"
	for _, err := range []error{
		explainNgrok(codedErr{"ERR_NGROK_105", quoted + "\nERR_NGROK_105\n"}),
		fmt.Errorf("ngrok: %w", errors.New(quoted)),
		fmt.Errorf("%w: still failing after 20s, last with: %v", ErrNgrokTimeout, errors.New(quoted)),
	} {
		got := withoutToken(err, token)
		if strings.Contains(got.Error(), token) {
			t.Errorf("error shows the token: %q", got)
		}
		if !errors.Is(got, err) {
			t.Errorf("withoutToken(%v) lost the original error", err)
		}
	}
	if got := withoutToken(ErrNgrokTimeout, token); got != ErrNgrokTimeout || !errors.Is(withoutToken(fmt.Errorf("%w: "+token, ErrNgrokTimeout), token), ErrNgrokTimeout) {
		t.Errorf("withoutToken changed an error without the token, or hid ErrNgrokTimeout")
	}
}
