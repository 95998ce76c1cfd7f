package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
)

// mockAPI is how trigger talks to a running mock: Keap's API under /crm/rest (writes here,
// reads through keapclient) and the mock's own /_mock controls. It notes every write it
// makes, so the command can say what it did.
type mockAPI struct {
	root  string // the mock's root URL, e.g. http://127.0.0.1:8080
	token string
	hc    *http.Client
	kc    *keapclient.Client
	done  []string // "POST /crm/rest/v1/contacts → 201", in order
}

func newMockAPI(root, token string, hc *http.Client) (*mockAPI, error) {
	u, err := url.Parse(root)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("--mock must be the mock's root URL, e.g. http://127.0.0.1:8080 (got %q)", root)
	}
	root = strings.TrimRight(root, "/")
	kc, err := keapclient.New(root+keap.BasePath, keapclient.WithBearerToken(token),
		keapclient.WithHTTPClient(hc), keapclient.WithUserAgent("keaphook-trigger"))
	if err != nil {
		return nil, err
	}
	return &mockAPI{root: root, token: token, hc: hc, kc: kc}, nil
}

// get reads an API path ("/v1/contacts?limit=1") into out.
func (m *mockAPI) get(ctx context.Context, path string, out any) error {
	if err := m.kc.GetJSON(ctx, path, out); err != nil {
		return m.explain(err)
	}
	return nil
}

// write sends a JSON body (nil for none) to an API path ("/v1/contacts") or a control path
// ("/_mock/events") and decodes a JSON answer into out (nil to ignore it).
func (m *mockAPI) write(ctx context.Context, method, path string, in, out any) error {
	full := m.root + keap.BasePath + path
	if strings.HasPrefix(path, "/_mock/") {
		full = m.root + path
	}
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, full, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+m.token)
	req.Header.Set("User-Agent", "keaphook-trigger")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := m.hc.Do(req)
	if err != nil {
		return m.explain(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	m.done = append(m.done, fmt.Sprintf("%s %s → %d", method, strings.TrimPrefix(full, m.root), resp.StatusCode))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s %s: %s: %s", method, path, statusText(resp.StatusCode), messageOf(raw))
	}
	if out != nil && len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: the answer is not the JSON expected: %w", method, path, err)
		}
	}
	return nil
}

// create POSTs a body and returns the new object's id.
func (m *mockAPI) create(ctx context.Context, path string, in any) (int64, error) {
	var out struct {
		ID int64 `json:"id"`
	}
	if err := m.write(ctx, http.MethodPost, path, in, &out); err != nil {
		return 0, err
	}
	if out.ID <= 0 {
		return 0, fmt.Errorf("POST %s: the answer carries no id", path)
	}
	return out.ID, nil
}

// explain adds what to do to the errors a user can fix.
func (m *mockAPI) explain(err error) error {
	var ue *url.Error
	switch {
	case keapclient.IsUnauthorized(err):
		return fmt.Errorf("%w (the mock refused the token: pass the one it accepts with --token)", err)
	case errors.As(err, &ue) && !errors.Is(err, context.Canceled):
		return fmt.Errorf("cannot reach the mock at %s: %v (is it running? start it with: keaphook mock)", m.root, ue.Err)
	}
	return err
}

// messageOf reads Keap's {"message"} or the gateway's {"fault"} from an error body.
func messageOf(raw []byte) string {
	var body struct {
		Message string `json:"message"`
		Fault   struct {
			FaultString string `json:"faultstring"`
		} `json:"fault"`
	}
	if json.Unmarshal(raw, &body) == nil {
		if body.Message != "" {
			return body.Message
		}
		if body.Fault.FaultString != "" {
			return body.Fault.FaultString + " (pass the token the mock accepts with --token)"
		}
	}
	s := strings.TrimSpace(string(raw))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
