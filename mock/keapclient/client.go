// Package keapclient is a small client for the parts of Keap's REST API that hooks need: the
// hooks resource, event keys, and the follow-up GET of a delivery's apiUrl. It talks to the
// real Keap or to the keaphook mock alike; only the base URL differs.
package keapclient

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
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// maxResponseBytes bounds how much of a response is read. A hooks list or a contact is a few
// kilobytes; the bound only keeps a broken server from exhausting memory.
const maxResponseBytes = 8 << 20

// Client calls one Keap REST API. Build it with New; it is safe for concurrent use.
type Client struct {
	base      *url.URL // e.g. https://api.infusionsoft.com/crm/rest, no trailing slash
	http      *http.Client
	token     string
	apiKey    string
	userAgent string
	transport http.RoundTripper // for the client's own http.Client; nil: the default
	timeout   time.Duration
}

// Option configures a Client.
type Option func(*Client)

// WithBearerToken authorises with "Authorization: Bearer <token>" (an OAuth access token).
func WithBearerToken(token string) Option {
	return func(c *Client) { c.token = strings.TrimSpace(token) }
}

// WithAPIKey authorises with "X-Keap-API-Key: <key>" (a Personal Access Token or Service
// Account Key, as Keap documents them).
func WithAPIKey(key string) Option {
	return func(c *Client) { c.apiKey = strings.TrimSpace(key) }
}

// WithHTTPClient replaces the client's own http.Client (for timeouts, proxies, test
// transports). That one follows no redirect off the Keap host; hc's CheckRedirect decides.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.http = hc }
}

// WithTransport makes the client's own http.Client, the one that follows no redirect off
// the Keap host, send through rt (for example one trusting a local CA). WithHTTPClient
// replaces that client, transport and all.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *Client) { c.transport = rt }
}

// WithTimeout bounds every call, answer included; 0 (the default) leaves calls bounded only by
// their context. A Keap that stops answering then fails the call rather than holding it.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) { c.timeout = d }
}

// WithUserAgent sets the User-Agent header sent on every call.
func WithUserAgent(ua string) Option {
	return func(c *Client) { c.userAgent = ua }
}

// New returns a client for the API at baseURL: keap.DefaultBaseURL for the real Keap, or a
// mock's APIURL (http://127.0.0.1:8080/crm/rest).
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(baseURL), "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("keapclient: base URL %q is not an absolute http(s) URL such as %s", keap.ShownURL(baseURL), keap.DefaultBaseURL)
	}
	u.RawQuery, u.Fragment = "", ""
	c := &Client{base: u, userAgent: "keaphook"}
	own := &http.Client{CheckRedirect: c.stayOnKeap}
	c.http = own
	for _, o := range opts {
		o(c)
	}
	if c.http == own {
		own.Transport = c.transport
	}
	if c.timeout > 0 {
		bounded := *c.http
		bounded.Timeout = c.timeout
		c.http = &bounded
	}
	return c, nil
}

// BaseURL returns the API base the client calls.
func (c *Client) BaseURL() string { return c.base.String() }

// HasCredentials reports whether a token or an API key was given.
func (c *Client) HasCredentials() bool { return c.token != "" || c.apiKey != "" }

// endpoint joins an API path such as "/v1/hooks" to the base URL.
func (c *Client) endpoint(path string) string {
	return c.base.String() + path
}

// do is send for the calls that need no status.
func (c *Client) do(ctx context.Context, method, rawURL string, header http.Header, in, out any) error {
	_, err := c.send(ctx, method, rawURL, header, in, out)
	return err
}

// send sends one request with the credentials and decodes a 2xx JSON answer into out (when
// out is not nil). Any other answer becomes an *APIError. It returns the status received, 0
// when no answer came.
func (c *Client) send(ctx context.Context, method, rawURL string, header http.Header, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, fmt.Errorf("keapclient: encoding the %s body: %w", method, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, body)
	if err != nil {
		return 0, fmt.Errorf("keapclient: %w", err)
	}
	for name, values := range header {
		req.Header[name] = values
	}
	c.authorize(req)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("keapclient: %s %s: %w", method, c.display(rawURL), err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, c.decode(resp, method, rawURL, out)
}

func (c *Client) authorize(req *http.Request) {
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.apiKey != "" {
		req.Header.Set(keap.HeaderAPIKey, c.apiKey)
	}
}

func (c *Client) decode(resp *http.Response, method, rawURL string, out any) error {
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("keapclient: %s %s: reading the answer: %w", method, c.display(rawURL), err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newAPIError(method, c.display(rawURL), resp, data)
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("keapclient: %s %s: the answer is not the JSON expected: %w", method, c.display(rawURL), err)
	}
	return nil
}

// display shortens a URL under the base to its API path for messages.
func (c *Client) display(rawURL string) string {
	if p, ok := strings.CutPrefix(rawURL, c.base.String()); ok && p != "" {
		return p
	}
	return rawURL
}

// stayOnKeap refuses a redirect off the Keap host. http.Client drops Authorization on a
// redirect to another domain, but copies every other header, X-Keap-API-Key included, and
// keeps Authorization for another port of the same host name.
func (c *Client) stayOnKeap(req *http.Request, via []*http.Request) error {
	if !strings.EqualFold(req.URL.Scheme, c.base.Scheme) || !strings.EqualFold(req.URL.Host, c.base.Host) {
		return fmt.Errorf("redirected to %s://%s, which is %w", req.URL.Scheme, req.URL.Host, errForeignHost)
	}
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return nil
}

// errForeignHost keeps credentials on the configured Keap: an apiUrl comes from a request
// body, and following one to another host would hand the token to whoever sent it.
var errForeignHost = errors.New("not on the configured Keap host; not sending credentials there")
