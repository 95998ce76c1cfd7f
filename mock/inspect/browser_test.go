package inspect_test

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/keaphook/keaphook/mock/mocktest"
)

// artifactsDir is where the browser test leaves its screenshots (gitignored).
const artifactsDir = "test-artifacts"

// findChromium returns the path of a Chromium or Chrome, or "" when there is none.
func findChromium() string {
	if p := os.Getenv("KEAPHOOK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile, closed when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := findChromium()
	if path == "" {
		t.Skip("no Chromium found (looked for chromium, chromium-browser, google-chrome, headless-shell and $KEAPHOOK_CHROMIUM); install it with: apt-get install -y chromium")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return bctx
}

// TestBrowserStory runs the inspector in a real browser: create a hook, emit, see the delivery
// appear without a reload, advance to Inactive, press verify, redeliver; and screenshots at
// desktop and phone widths, checked not to be blank.
func TestBrowserStory(t *testing.T) {
	fail := true
	rcv := echoReceiver(t, &fail)
	m := newMock(t)
	ctx := newBrowser(t) // after the mock: cleanups run in reverse, so the browser closes first
	ui := m.URL + "/_mock/ui/"

	run(t, ctx, "log in and create a hook",
		chromedp.Navigate(ui+"?token="+testToken),
		chromedp.WaitVisible(`body[data-live]`),
		chromedp.SendKeys(`#hook-event`, "contact.add"),
		chromedp.SendKeys(`#hook-url`, rcv.URL),
		chromedp.Submit(`#hook-form`),
		chromedp.WaitVisible(`#hook-1 .state-Verified`),
		chromedp.WaitVisible(`body[data-live]`),
	)
	// Mark this page: a reload would lose the mark.
	get(t, ctx, "mark the page", chromedp.Evaluate[int](`window.keaphookMark = 42`))
	emit(t, m)
	run(t, ctx, "see the delivery appear without a reload", chromedp.WaitVisible(`tr[data-id="d_000001"]`))
	mark := get(t, ctx, "read the mark", chromedp.Evaluate[int](`window.keaphookMark || 0`))
	if mark != 42 {
		t.Fatal("the page was reloaded to show the delivery")
	}
	for _, by := range []string{"#advance-1m", "#advance-1m", "#advance-5m", "#advance-30m"} {
		// The message goes first, so that seeing one again means the action's page arrived.
		get(t, ctx, "clear the message", chromedp.Evaluate[bool](`(document.getElementById("flash") || {remove(){}}).remove(), true`))
		run(t, ctx, "advance "+by, chromedp.Click(by), chromedp.WaitVisible(`#flash`))
	}
	run(t, ctx, "the hook is Inactive", chromedp.WaitVisible(`#hook-1 .state-Inactive`))
	shoot(t, ctx, "inactive", ui)
	shoot(t, ctx, "delivery-failed", ui+"deliveries/d_000001")
	// The first screen of that page alone, as the README shows it.
	run(t, ctx, "README view", chromedp.EmulateViewport(1000, 760), chromedp.Navigate(ui+"deliveries/d_000001"),
		chromedp.WaitVisible(`body[data-live]`))
	view := get(t, ctx, "README view", chromedp.CaptureScreenshot())
	checkNotBlank(t, "readme-view.png", view, 1000)
	if err := os.WriteFile(filepath.Join(artifactsDir, "readme-view.png"), view, 0o644); err != nil {
		t.Fatal(err)
	}

	fail = false
	// An event for the Inactive hook is dropped; its row arrives through a live refresh, so
	// the Verify button pressed next is one the script drew (with the page's CSRF token).
	run(t, ctx, "open the page", chromedp.Navigate(ui), chromedp.WaitVisible(`body[data-live]`))
	emit(t, m)
	run(t, ctx, "see the dropped delivery", chromedp.WaitVisible(`tr[data-id="d_000002"] .state-Dropped`))
	run(t, ctx, "press verify", chromedp.Click(`#verify-1`), chromedp.WaitVisible(`#hook-1 .state-Verified`))
	flash := get(t, ctx, "read the message", chromedp.Text(`#flash`))
	if !strings.Contains(flash, "Verified") {
		t.Errorf("after verify the page says %q", flash)
	}
	run(t, ctx, "redeliver",
		chromedp.Navigate(ui+"deliveries/d_000001"), chromedp.Click(`#redeliver`), chromedp.WaitVisible(`#flash`))
	flash = get(t, ctx, "read the message", chromedp.Text(`#flash`))
	if !strings.Contains(flash, "Redelivery d_000003 of d_000001") {
		t.Errorf("after redeliver the page says %q", flash)
	}
	run(t, ctx, "the redelivery is delivered",
		chromedp.Navigate(ui), chromedp.Click(`#advance-1m`), chromedp.WaitVisible(`tr[data-id="d_000003"] .state-Delivered`))
	shoot(t, ctx, "redelivered", ui)

	// The same page for a system in dark mode.
	run(t, ctx, "prefer dark", func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
		return chromedp.Void{}, err
	})
	shoot(t, ctx, "dark", ui)
	dark, err := os.ReadFile(filepath.Join(artifactsDir, "dark-desktop.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, _ := png.Decode(bytes.NewReader(dark))
	if r, g, b, _ := img.At(5, 300).RGBA(); (r+g+b)/3>>8 > 80 {
		t.Errorf("in dark mode the page's background is light (%d, %d, %d)", r>>8, g>>8, b>>8)
	}
}

func emit(t *testing.T, m *mocktest.Server) {
	t.Helper()
	resp, err := m.Client().Post(m.URL+"/_mock/events", "application/json", strings.NewReader(`{"eventKey":"contact.add","ids":[12,13]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("emit: %d", resp.StatusCode)
	}
}

func run(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	start := time.Now()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	t.Logf("%s: %s", step, time.Since(start).Round(time.Millisecond))
}

func get[T any](t *testing.T, ctx context.Context, step string, action chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// shoot saves full-page screenshots of url at desktop and phone widths and checks that each
// shows something: a blank page is one colour.
func shoot(t *testing.T, ctx context.Context, name, url string) {
	t.Helper()
	if err := os.MkdirAll(artifactsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct {
		label         string
		width, height int64
	}{{"desktop", 1280, 900}, {"phone", 360, 800}} {
		run(t, ctx, "screenshot "+name,
			chromedp.EmulateViewport(size.width, size.height),
			chromedp.Navigate(url), chromedp.WaitVisible(`body[data-live]`))
		shot := get(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
		file := filepath.Join(artifactsDir, name+"-"+size.label+".png")
		if err := os.WriteFile(file, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		checkNotBlank(t, file, shot, size.width)
	}
}

func checkNotBlank(t *testing.T, file string, shot []byte, width int64) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	b := img.Bounds()
	if int64(b.Dx()) != width {
		t.Errorf("%s is %d px wide, want %d: the page does not fit the width", file, b.Dx(), width)
	}
	colours := map[uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[(r>>8)<<16|(g>>8)<<8|bl>>8] = true
		}
	}
	if len(colours) < 20 {
		t.Errorf("%s looks blank: %d colours", file, len(colours))
	}
}
