package inspect_test

import (
	"bufio"
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
)

func signingConfig() signature.Config {
	return signature.Config{Scheme: signature.HMACHex, Secrets: []string{testSecret}}
}

func TestLoginTradesTheTokenForACookie(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	c := &http.Client{Transport: testClient.Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	resp, err := c.Get(m.URL + "/_mock/ui/?token=" + testToken + "&state=Failed")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/_mock/ui/?state=Failed" {
		t.Fatalf("login answered %d to %q; want 303 to the same page without the token", resp.StatusCode, resp.Header.Get("Location"))
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode || cookies[0].Path != "/_mock/ui/" {
		t.Fatalf("cookie %+v: want one HttpOnly, SameSite=Strict cookie for /_mock/ui/", cookies)
	}
	if strings.Contains(cookies[0].Value, testToken) {
		t.Fatal("the cookie holds the token itself")
	}
}

func TestRefusesWithoutAnAcceptedToken(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	for _, path := range []string{"/_mock/ui/", "/_mock/ui/?token=wrong", "/_mock/ui/deliveries/d_000001", "/_mock/ui/events"} {
		resp, err := testClient.Get(m.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "?token=YOUR_TOKEN") || strings.Contains(body, "wrong") {
			t.Errorf("GET %s: %d %s; want 401 saying how to log in, without echoing the token", path, resp.StatusCode, body)
		}
	}
	// A header token works for scripts, as on the rest of /_mock.
	b := &browser{t: t, mock: m, client: http.DefaultClient}
	if p := b.get("/_mock/ui/", "Authorization", "Bearer "+testToken); p.status != http.StatusOK {
		t.Errorf("with a Bearer token: %d", p.status)
	}
	// The old path without the slash leads to the inspector.
	if p := b.get("/_mock/ui"); p.url != "/_mock/ui/" {
		t.Errorf("GET /_mock/ui ended at %s", p.url)
	}
}

func TestActionsNeedTheCSRFToken(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	b := login(t, m)
	b.csrf = "0123"
	p := b.post("/_mock/ui/reset")
	if p.status != http.StatusForbidden || !strings.Contains(p.body, "CSRF") {
		t.Fatalf("POST with a wrong CSRF token: %d %s", p.status, p.body)
	}
	// A form from another site carries no session cookie at all (SameSite=Strict).
	resp, err := http.PostForm(m.URL+"/_mock/ui/reset", url.Values{"csrf": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, resp)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("POST without a session: %d", resp.StatusCode)
	}
}

// A form too large to be one of the inspector's, or one that is not well-formed, gets a
// 4xx saying so, with a session or a header token, and changes nothing; a multipart form, as
// curl -F sends it, is read like a URL-encoded one.
func TestOversizedAndGarbledFormsAreRefused(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	b := login(t, m)
	jar, _ := cookiejar.New(nil)
	script := &browser{t: t, mock: m, client: &http.Client{Jar: jar}}
	huge := strings.Repeat("x", 70<<10)
	for _, c := range []struct {
		who              *browser
		path, body, want string
		status           int
	}{
		{b, "/_mock/ui/reset", "csrf=" + b.csrf + "&back=/_mock/ui/&pad=" + huge, "larger than 64 KiB", http.StatusRequestEntityTooLarge},
		{b, "/_mock/ui/reset", "csrf=" + b.csrf + "&back=%zz", "could not be read", http.StatusBadRequest},
		{b, "/_mock/ui/reset?%zz", "csrf=" + b.csrf, "could not be read", http.StatusBadRequest},
		{script, "/_mock/ui/hooks/1/verify", "back=/_mock/ui/&pad=" + huge, "larger than 64 KiB", http.StatusRequestEntityTooLarge},
		{script, "/_mock/ui/deliveries/d_000001/redeliver", "pad=" + huge, "larger than 64 KiB", http.StatusRequestEntityTooLarge},
		{script, "/_mock/ui/emit", "eventKey=%zz", "could not be read", http.StatusBadRequest},
	} {
		req, _ := http.NewRequest(http.MethodPost, m.URL+c.path, strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if c.who == script {
			req.Header.Set("Authorization", "Bearer "+testToken)
		}
		if p := c.who.do(req); p.status != c.status || !strings.Contains(htmlText(p.body), c.want) {
			t.Errorf("POST %s (%d bytes): %d, want %d saying %q:\n%.300s", c.path, len(c.body), p.status, c.status, c.want, p.body)
		}
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.csrf)
	mw.WriteField("eventKey", "contact.add")
	mw.WriteField("ids", "12")
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, m.URL+"/_mock/ui/emit", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if p := b.do(req); p.status != http.StatusOK || !strings.HasPrefix(p.flash(), "ok: contact.add for 1 object") {
		t.Errorf("a multipart emit form: %d, flash %q", p.status, p.flash())
	}
}

// TestStory walks the whole retry story through the inspector's forms: a hook, an event, the
// attempts failing until the hook is Inactive, verify, and a redelivery.
func TestStory(t *testing.T) {
	t.Parallel()
	fail := true
	rcv := echoReceiver(t, &fail)
	m := newMock(t)
	b := login(t, m)
	hookURL := strings.Replace(rcv.URL, "http://", "http://user:hunter2@", 1)

	p := b.post("/_mock/ui/hooks", "eventKey", "contact.add", "hookUrl", hookURL)
	wantFlash(t, p, "ok: Hook 1 created for contact.add: Verified")
	if !strings.Contains(p.body, "last handshake succeeded") {
		t.Errorf("the hook's status has no words about its handshake:\n%s", p.body)
	}
	p = b.post("/_mock/ui/emit", "eventKey", "contact.add", "ids", "12, 13")
	wantFlash(t, p, "ok: contact.add for 2 object(s): 1 delivery(ies) queued")
	if !strings.Contains(p.body, `data-id="d_000001"`) || !strings.Contains(p.body, "Pending") {
		t.Fatalf("the new delivery is not listed as Pending:\n%s", p.body)
	}
	for _, by := range []string{"1m", "1m", "5m", "30m"} {
		wantFlash(t, b.post("/_mock/ui/clock/advance", "by", by), "ok: Moved the clock by")
	}
	d := b.get("/_mock/ui/deliveries/d_000001")
	for _, want := range []string{
		`id="delivery-state">Failed`, "the 4th attempt failed (500 Internal Server Error)", "hook Inactive",
		signature.DefaultHMACHeader + ": ", "X-Receiver: echo", "500 Internal Server Error is outside the success range 200-399",
		"down for the test", "user:xxxxx@", `class="now"`,
	} {
		if !strings.Contains(htmlText(d.body), want) {
			t.Errorf("the delivery page lacks %q", want)
		}
	}
	home := b.get("/_mock/ui/")
	if !strings.Contains(home.body, "state-Inactive") || !strings.Contains(home.body, "is now Inactive") {
		t.Errorf("the hook is not shown Inactive with its reason")
	}

	fail = false
	wantFlash(t, b.post("/_mock/ui/hooks/1/verify"), "ok: Hook 1 verified again: Verified")
	p = b.post("/_mock/ui/deliveries/d_000001/redeliver")
	wantFlash(t, p, "ok: Redelivery d_000002 of d_000001 is due now.")
	b.post("/_mock/ui/clock/advance", "by", "1s")
	if got, _ := m.Mock.Engine().Get("d_000002"); got.State != delivery.Delivered {
		t.Errorf("the redelivery is %s, want Delivered", got.State)
	}
	noSecrets(t, d.body+home.body+p.body, hookURL)
}

func TestBadInputGetsAMessageOnThePage(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	b := login(t, m)
	cases := []struct {
		path   string
		fields []string
		want   string
	}{
		{"/_mock/ui/emit", []string{"eventKey", "contact.ad", "count", "2"}, `did you mean contact.add`},
		{"/_mock/ui/emit", []string{"eventKey", "contact.add"}, "Give ids"},
		{"/_mock/ui/emit", []string{"eventKey", "contact.add", "ids", "1,x"}, `"x" is not one`},
		{"/_mock/ui/emit", []string{"eventKey", "contact.add", "count", "999999"}, "from 1 to 10000"},
		{"/_mock/ui/clock/advance", []string{"by", "soon"}, `"soon" is not a duration`},
		{"/_mock/ui/clock/advance", []string{"by", "-5m"}, "more than 0"},
		{"/_mock/ui/hooks", []string{"eventKey", "contact.add", "hookUrl", "ftp://x"}, "must use http or https"},
		{"/_mock/ui/hooks", []string{"eventKey", "contact.add"}, "Give the hook URL"},
		{"/_mock/ui/chaos", []string{"chaos", "maybe"}, "on or off"},
		{"/_mock/ui/hooks/99/verify", nil, `no hook "99"`},
		{"/_mock/ui/deliveries/d_999/redeliver", nil, `no delivery "d_999"`},
	}
	for _, c := range cases {
		p := b.post(c.path, c.fields...)
		if p.status != http.StatusOK || !strings.HasPrefix(p.flash(), "error: ") || !strings.Contains(p.flash(), c.want) {
			t.Errorf("POST %s %v: %d, flash %q; want an error message with %q", c.path, c.fields, p.status, p.flash(), c.want)
		}
	}
	p := b.get("/_mock/ui/?page=0&state=Nope")
	if p.status != http.StatusBadRequest || !strings.Contains(p.flash(), "no state") {
		t.Errorf("a bad list query: %d %q", p.status, p.flash())
	}
	p = b.get("/_mock/ui/deliveries/d_404")
	if !strings.Contains(p.flash(), `no delivery "d_404"`) {
		t.Errorf("an unknown delivery: %q", p.flash())
	}
}

func TestAdvanceNeedsTheVirtualClock(t *testing.T) {
	t.Parallel()
	m := newMock(t, mock.WithTiming(delivery.TimingFast))
	p := login(t, m).post("/_mock/ui/clock/advance", "by", "1m")
	if !strings.Contains(p.flash(), "only with --timing virtual") {
		t.Errorf("flash %q", p.flash())
	}
}

func TestChaosAndReset(t *testing.T) {
	t.Parallel()
	rcv := echoReceiver(t, nil)
	m := newMock(t)
	b := login(t, m)
	wantFlash(t, b.post("/_mock/ui/chaos", "chaos", "on"), "ok: Chaos is on: duplicate 0.20")
	if m.Mock.Engine().Chaos() == (delivery.Chaos{}) {
		t.Error("chaos is still off")
	}
	wantFlash(t, b.post("/_mock/ui/chaos", "chaos", "off"), "ok: Chaos is off.")
	if m.Mock.Engine().Chaos() != (delivery.Chaos{}) {
		t.Error("chaos is still on")
	}
	b.post("/_mock/ui/hooks", "eventKey", "contact.add", "hookUrl", rcv.URL)
	b.post("/_mock/ui/emit", "eventKey", "contact.add", "count", "1")
	p := b.post("/_mock/ui/reset")
	wantFlash(t, p, "ok: The mock is reset")
	if !strings.Contains(p.body, "No hooks yet") || !strings.Contains(p.body, `id="no-deliveries"`) {
		t.Errorf("after a reset the page still lists hooks or deliveries")
	}
}

func TestFragmentIsOnlyTheLivePart(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	b := login(t, m)
	p := b.get("/_mock/ui/", "X-Inspector-Fragment", "1")
	if strings.Contains(p.body, "<html") || strings.Contains(p.body, "emit-form") || !strings.Contains(p.body, `id="clock"`) {
		t.Fatalf("the fragment is not the live part alone:\n%s", p.body)
	}
	css := b.get("/_mock/ui/static/style.css")
	if css.status != http.StatusOK || !strings.Contains(css.body, "prefers-color-scheme") {
		t.Fatalf("style.css: %d", css.status)
	}
	if js := b.get("/_mock/ui/static/live.js"); !strings.Contains(js.body, "EventSource") {
		t.Fatal("live.js is not served")
	}
}

func TestEventsStreamSaysWhenSomethingChanged(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	b := login(t, m)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.URL+"/_mock/ui/events", nil)
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := bufio.NewScanner(resp.Body)
	waitFor(t, lines, ": connected")
	// A change made through the mock's own API, not the inspector, reaches the page too.
	api := m.Client()
	r, err := api.Post(m.URL+"/_mock/events", "application/json", strings.NewReader(`{"eventKey":"contact.add","count":1}`))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	waitFor(t, lines, "event: change")
}

func waitFor(t *testing.T, lines *bufio.Scanner, want string) {
	t.Helper()
	for lines.Scan() {
		if lines.Text() == want {
			return
		}
	}
	t.Fatalf("the stream ended before %q: %v", want, lines.Err())
}

func TestPagination(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	rcv := echoReceiver(t, nil)
	b := login(t, m)
	b.post("/_mock/ui/hooks", "eventKey", "contact.add", "hookUrl", rcv.URL)
	for range 3 { // one delivery per emit: each closes its batch by advancing past it
		b.post("/_mock/ui/emit", "eventKey", "contact.add", "count", "1")
		b.post("/_mock/ui/clock/advance", "by", "2m")
	}
	all := m.Mock.Engine().List(delivery.Filter{})
	if len(all) != 3 {
		t.Fatalf("%d deliveries, want 3", len(all))
	}
	// The default page holds 50; the mock's list is newest first.
	p := b.get("/_mock/ui/?state=Delivered")
	if strings.Index(p.body, "d_000003") > strings.Index(p.body, "d_000001") || !strings.Contains(p.body, "1–3, newest first") {
		t.Errorf("the list is not newest first")
	}
	if p := b.get("/_mock/ui/?page=2"); !strings.Contains(p.body, "No deliveries on this page") || !strings.Contains(p.body, `rel="prev"`) {
		t.Errorf("page 2 of 1:\n%s", p.body)
	}
}

func wantFlash(t *testing.T, p page, prefix string) {
	t.Helper()
	if !strings.HasPrefix(p.flash(), prefix) {
		t.Fatalf("flash %q, want it to start %q", p.flash(), prefix)
	}
}

// noSecrets fails when a page shows the signing secret, a handshake secret, the token or
// the hookUrl's password.
func noSecrets(t *testing.T, body, hookURL string) {
	t.Helper()
	u, _ := url.Parse(hookURL)
	pw, _ := u.User.Password()
	for _, secret := range []string{testSecret, testToken, pw} {
		if strings.Contains(body, secret) {
			t.Errorf("a page shows the secret %q", secret)
		}
	}
	if strings.Contains(strings.ToLower(body), strings.ToLower(keap.HeaderHookSecret)+": ") {
		t.Error("a page shows an X-Hook-Secret header")
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var sb strings.Builder
	if _, err := bufioCopy(&sb, resp); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

func bufioCopy(sb *strings.Builder, resp *http.Response) (int64, error) {
	r := bufio.NewReader(resp.Body)
	return r.WriteTo(sb)
}
