package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestListenInspector(t *testing.T) {
	t.Parallel()
	app := newHeaderlessApp(t, http.StatusOK)
	c := start(t, nil, "listen", "--addr", "127.0.0.1:0", "--forward-to", app.URL, "--inspect", "127.0.0.1:0")
	public := c.stdout.waitFor(t, publicURL)[1]
	inspector := c.stdout.waitFor(t, `inspector:\s+(http://127\.0\.0\.1:\d+)`)[1]
	c.stdout.waitFor(t, ready)
	if status, _ := postTo(t, public, nil, keapDelivery); status != http.StatusOK {
		t.Fatalf("delivery: %d", status)
	}
	c.stdout.waitFor(t, `contact\.add`)
	resp, err := testClient.Get(inspector + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"Requests received (1)", "contact.add", "the app answered 200"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the inspector lacks %q:\n%s", want, page)
		}
	}
	if code := c.stop(t); code != 0 {
		t.Errorf("exit %d", code)
	}
}

func TestListenInspectOff(t *testing.T) {
	t.Parallel()
	c := start(t, nil, "listen", "--addr", "127.0.0.1:0", "--inspect", "off")
	c.stdout.waitFor(t, ready)
	if strings.Contains(c.stdout.String(), "inspector:") {
		t.Errorf("--inspect off still serves an inspector:\n%s", c.stdout.String())
	}
}
