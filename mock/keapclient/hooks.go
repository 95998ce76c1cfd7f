package keapclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/keaphook/keaphook/mock/keap"
)

// EventKeys lists the event keys hooks can subscribe to (GET /v1/hooks/event_keys).
func (c *Client) EventKeys(ctx context.Context) ([]string, error) {
	var keys []string
	err := c.do(ctx, http.MethodGet, c.endpoint("/v1/hooks/event_keys"), nil, nil, &keys)
	return keys, err
}

// ListHooks lists every hook of the account (GET /v1/hooks).
func (c *Client) ListHooks(ctx context.Context) ([]keap.RestHook, error) {
	var hooks []keap.RestHook
	err := c.do(ctx, http.MethodGet, c.endpoint("/v1/hooks"), nil, nil, &hooks)
	return hooks, err
}

// CreateHook subscribes hookURL to eventKey (POST /v1/hooks). Keap sends the handshake to
// hookURL during this call, so the hook returned is already Verified when hookURL echoed it.
func (c *Client) CreateHook(ctx context.Context, eventKey, hookURL string) (keap.RestHook, error) {
	var h keap.RestHook
	req := keap.RestHookRequest{EventKey: eventKey, HookURL: hookURL}
	err := c.do(ctx, http.MethodPost, c.endpoint("/v1/hooks"), nil, req, &h)
	return h, err
}

// GetHook returns one hook (GET /v1/hooks/{key}).
func (c *Client) GetHook(ctx context.Context, key string) (keap.RestHook, error) {
	var h keap.RestHook
	err := c.do(ctx, http.MethodGet, c.hookURL(key, ""), nil, nil, &h)
	return h, err
}

// UpdateHook replaces a hook's event key and URL (PUT /v1/hooks/{key}).
func (c *Client) UpdateHook(ctx context.Context, key, eventKey, hookURL string) (keap.RestHook, error) {
	var h keap.RestHook
	req := keap.RestHookRequest{EventKey: eventKey, HookURL: hookURL}
	err := c.do(ctx, http.MethodPut, c.hookURL(key, ""), nil, req, &h)
	return h, err
}

// DeleteHook removes a hook (DELETE /v1/hooks/{key}).
func (c *Client) DeleteHook(ctx context.Context, key string) error {
	return c.do(ctx, http.MethodDelete, c.hookURL(key, ""), nil, nil, nil)
}

// VerifyHook asks Keap to send the handshake again (POST /v1/hooks/{key}/verify); it also
// reactivates an Inactive hook when the handshake succeeds.
func (c *Client) VerifyHook(ctx context.Context, key string) (keap.RestHook, error) {
	var h keap.RestHook
	err := c.do(ctx, http.MethodPost, c.hookURL(key, "/verify"), nil, nil, &h)
	return h, err
}

// DelayedVerifyHook hands back the secret a hookUrl received in the handshake
// (POST /v1/hooks/{key}/delayedVerify with X-Hook-Secret), for receivers that answered the
// handshake without echoing it.
func (c *Client) DelayedVerifyHook(ctx context.Context, key, secret string) (keap.RestHook, error) {
	var h keap.RestHook
	header := http.Header{keap.HeaderHookSecret: {secret}}
	err := c.do(ctx, http.MethodPost, c.hookURL(key, "/delayedVerify"), header, nil, &h)
	return h, err
}

func (c *Client) hookURL(key, suffix string) string {
	return c.endpoint("/v1/hooks/" + url.PathEscape(key) + suffix)
}

// GetJSON GETs a resource and decodes it into v: an apiUrl from a delivery (absolute) or an
// API path ("/v1/contacts/12"). Absolute URLs must be on the host of the base URL, so a
// forged apiUrl cannot make the client send its credentials elsewhere.
func (c *Client) GetJSON(ctx context.Context, rawURL string, v any) error {
	_, err := c.Do(ctx, http.MethodGet, rawURL, nil, v)
	return err
}

// Do is any call: method on rawURL (an API path such as "/v1/contacts", or an absolute URL on
// the base URL's host, such as a mock's /_mock controls), with in as its JSON body (nil for
// none), a 2xx JSON answer decoded into out (nil to ignore it). It returns the status
// received (0 when none came); an answer outside 2xx is an *APIError.
func (c *Client) Do(ctx context.Context, method, rawURL string, in, out any) (int, error) {
	target, err := c.resolve(rawURL)
	if err != nil {
		return 0, err
	}
	return c.send(ctx, method, target, nil, in, out)
}

func (c *Client) resolve(rawURL string) (string, error) {
	if strings.HasPrefix(rawURL, "/") && !strings.HasPrefix(rawURL, "//") {
		return c.endpoint(rawURL), nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return "", fmt.Errorf("keapclient: %q is neither an absolute URL nor an API path", rawURL)
	}
	if !strings.EqualFold(u.Scheme, c.base.Scheme) || !strings.EqualFold(u.Host, c.base.Host) {
		return "", fmt.Errorf("keapclient: %s: host %s is %w", rawURL, u.Host, errForeignHost)
	}
	return u.String(), nil
}

// IsForeignHost reports whether GetJSON refused a URL because it is not on the Keap host.
func IsForeignHost(err error) bool { return errors.Is(err, errForeignHost) }
