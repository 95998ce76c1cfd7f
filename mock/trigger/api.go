package trigger

import (
	"context"
	"fmt"
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
	root string // the mock's root URL, e.g. http://127.0.0.1:8080
	kc   *keapclient.Client
	done []string // "POST /crm/rest/v1/contacts → 201", in order
}

func newMockAPI(root, token string, hc *http.Client) (*mockAPI, error) {
	u, err := url.Parse(root)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("%w, e.g. http://127.0.0.1:8080 (got %q)", ErrNotRootURL, root)
	}
	root = strings.TrimRight(root, "/")
	kc, err := keapclient.New(root+keap.BasePath, keapclient.WithBearerToken(token),
		keapclient.WithHTTPClient(hc), keapclient.WithUserAgent("keaphook-trigger"))
	if err != nil {
		return nil, err
	}
	return &mockAPI{root: root, kc: kc}, nil
}

// get reads an API path ("/v1/contacts?limit=1") into out.
func (m *mockAPI) get(ctx context.Context, path string, out any) error {
	return m.kc.GetJSON(ctx, path, out)
}

// write sends a JSON body (nil for none) to an API path ("/v1/contacts") or a control path
// ("/_mock/events") and decodes a JSON answer into out (nil to ignore it).
func (m *mockAPI) write(ctx context.Context, method, path string, in, out any) error {
	target := path
	if strings.HasPrefix(path, "/_mock/") {
		target = m.root + path // outside the API base, on the same host
	}
	status, err := m.kc.Do(ctx, method, target, in, out)
	if status != 0 {
		shown := path
		if !strings.HasPrefix(path, "/_mock/") {
			shown = keap.BasePath + path
		}
		m.done = append(m.done, fmt.Sprintf("%s %s → %d", method, shown, status))
	}
	return err
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
