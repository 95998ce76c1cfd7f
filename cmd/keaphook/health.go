package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
)

const healthHelp = `health [flags]

Ask a running mock whether it is up (GET /_mock/health, which needs no token): exit 0 when
it answers, 1 when it does not. For a container's HEALTHCHECK and for CI jobs that must wait
for the mock; --wait keeps asking while nothing answers yet. An answer that is not a
keaphook mock's fails at once: the URL is wrong, and waiting would not help.

Without --url it asks the mock 'keaphook mock' would start here: at KEAPHOOK_MOCK_ADDR
(0.0.0.0 and :: through loopback), else at 127.0.0.1:8080, over https when KEAPHOOK_MOCK_TLS
is set. That is how the image's
HEALTHCHECK follows a KEAPHOOK_MOCK_ADDR given to the container.

Examples:
  keaphook health
  keaphook health --url http://keap:8080 --wait 30s`

// healthPollInterval is how long health --wait leaves between two questions to a mock that
// is not up yet: another process, whose start nothing here can be told about.
const healthPollInterval = 100 * time.Millisecond

func runHealth(ctx context.Context, e env, args []string) error {
	var target string
	var wait, timeout time.Duration
	fs := newFlagSet("health", healthHelp)
	fs.StringVar(&target, "url", defaultMockURL(e.getenv), "the mock's root `URL`")
	fs.DurationVar(&wait, "wait", 0, "keep asking for this `duration` while nothing answers (0: ask once)")
	fs.DurationVar(&timeout, "timeout", 2*time.Second, "how long one answer may take")
	var trust trustFlags
	trust.define(fs)
	args, err := fs.parse(e, args)
	if err != nil {
		return err
	}
	if err := noArgs(args); err != nil {
		return err
	}
	probe, err := newHealthProbe(target, timeout)
	if err == nil && wait < 0 {
		err = fmt.Errorf("--wait must not be negative, got %s", wait)
	}
	if err != nil {
		return fs.usage(err)
	}
	// a mock --tls is trusted through its local CA
	if probe.client.Transport, err = trust.transport(); err != nil {
		return fs.usage(err)
	}
	h, err := probe.await(ctx, wait)
	if err != nil {
		return err
	}
	apiURLs := "apiUrls will name it as its first client reaches it"
	if h.BaseURL != "" {
		apiURLs = "apiUrls point at " + h.BaseURL
	}
	fmt.Fprintf(e.stdout, "keaphook mock at %s is up; %s\n", probe.root, apiURLs)
	return nil
}

// healthProbe asks one mock for its health.
type healthProbe struct {
	root   string // the mock's root, as given
	url    string // root + /_mock/health
	client *http.Client
}

func newHealthProbe(root string, timeout time.Duration) (healthProbe, error) {
	root = strings.TrimSuffix(strings.TrimSuffix(root, "/"), mock.HealthPath)
	u, err := url.Parse(root)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return healthProbe{}, fmt.Errorf("--url wants the mock's http:// or https:// root, such as http://127.0.0.1:8080; got %q", root)
	}
	if timeout <= 0 {
		return healthProbe{}, fmt.Errorf("--timeout must be positive, got %s", timeout)
	}
	client := &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return healthProbe{root: root, url: root + mock.HealthPath, client: client}, nil
}

// notUpYet is an answer worth asking again for: none at all, or a proxy's 502-504.
type notUpYet struct{ reason string }

func (e *notUpYet) Error() string { return e.reason }

// await asks until the mock answers, for at most wait. Only notUpYet answers are asked again.
func (p healthProbe) await(ctx context.Context, wait time.Duration) (mock.Health, error) {
	deadline := time.Now().Add(wait)
	for {
		h, err := p.ask(ctx)
		var later *notUpYet
		if err == nil || !errors.As(err, &later) || ctx.Err() != nil {
			return h, err
		}
		if !time.Now().Add(healthPollInterval).Before(deadline) {
			if wait > 0 {
				return h, fmt.Errorf("no keaphook mock at %s after %s: %v", p.root, wait, err)
			}
			return h, fmt.Errorf("no keaphook mock at %s: %v", p.root, err)
		}
		select {
		case <-ctx.Done():
			return h, ctx.Err()
		case <-time.After(healthPollInterval):
		}
	}
}

func (p healthProbe) ask(ctx context.Context) (mock.Health, error) {
	var h mock.Health
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return h, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return h, ctx.Err()
		}
		why := whyNoAnswer(err, p.root, "--url")
		switch keap.JudgeNoAnswer(err) {
		case keap.NoAnswerCertificate, keap.NoAnswerNotTLS: // waiting will not fix the URL or a certificate
			return h, fmt.Errorf("the mock at %s: %s", p.root, why)
		}
		return h, &notUpYet{why}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil && resp.StatusCode == http.StatusOK {
		return h, &notUpYet{"the answer broke off: " + err.Error()}
	}
	return judgeHealth(p.url, resp.StatusCode, body)
}

// judgeHealth reads one answer to GET /_mock/health: a mock's health, a notUpYet worth asking
// again for (a proxy's 502-504 in front of a mock still starting), or the error that this is
// not a keaphook mock at all.
func judgeHealth(url string, status int, body []byte) (mock.Health, error) {
	var h mock.Health
	switch status {
	case http.StatusOK:
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return h, &notUpYet{fmt.Sprintf("answered %d %s", status, http.StatusText(status))}
	default:
		return h, fmt.Errorf("%s answered %d %s: not a keaphook mock (is the URL right?)", url, status, http.StatusText(status))
	}
	if json.Unmarshal(body, &h) != nil || h.Status != "ok" {
		return mock.Health{}, fmt.Errorf("%s answered 200 with %.80q: not a keaphook mock's health (is the URL right?)", url, body)
	}
	return h, nil
}
