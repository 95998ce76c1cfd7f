package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
)

// mockFlags are the flags of `keaphook mock`.
type mockFlags struct {
	addr             string
	publicURL        publicURLFlag
	tokens           stringList
	handshakeTimeout time.Duration
	eventKeysFile    string
	json             bool
	dataDir          string
	seedData         bool
	rateLimits       bool
	strictFields     bool
	retain           delivery.Retention
	delivery         deliveryFlags
}

const mockHelp = `mock [flags]

Run a mock Keap on this machine: Keap's REST API under /crm/rest/v1 and /crm/rest/v2 (hooks
with the real X-Hook-Secret handshake, the contacts, tags, orders... that deliveries' apiUrl
point at, and every other operation of Keap's two documents),
OAuth at /token and /app/oauth/authorize, and the mock's own controls under /_mock (make
events, inspect and redeliver deliveries, move the virtual clock, set chaos, reset).
Deliveries follow Keap's batching and retry schedule; hooks go Inactive as on Keap.

Examples:
  keaphook mock                          # fast timing: a whole retry story in under a second
  keaphook mock --timing virtual --seed  # for CI: the clock moves only via /_mock/clock/advance
  keaphook mock --sign hmac-hex --signing-secret s3cret --data ./keap-data
  KEAPHOOK_MOCK_ADDR=127.0.0.1:9090 keaphook mock`

func runMock(ctx context.Context, e env, args []string) error {
	var f mockFlags
	fs := newFlagSet("mock", mockHelp)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "`address` to listen on")
	fs.Var(&f.publicURL, "public-url", "the `URL` clients reach the mock by, for apiUrls and the banner (default: the --addr; on 0.0.0.0 or ::, the address the first client used)")
	fs.Var(&f.tokens, "token", "accept only this access token or API key (repeatable); none given: any non-empty token")
	fs.DurationVar(&f.handshakeTimeout, "handshake-timeout", mock.DefaultHandshakeTimeout, "how long a hookUrl has to answer the handshake")
	fs.StringVar(&f.eventKeysFile, "event-keys", "", "`file` of event keys, one per line, replacing the built-in list")
	fs.BoolVar(&f.json, "json", false, "log one JSON object per line instead of readable lines")
	fs.BoolVar(&f.seedData, "seed", false, "start with a realistic account: contacts, tags, companies, a pipeline, products")
	fs.BoolVar(&f.rateLimits, "rate-limits", false, "enforce Keap's rate limits per token, with its x-keap-product-* headers and 429s")
	fs.BoolVar(&f.strictFields, "strict-fields", false, "answer 400 to a JSON field an operation does not take (hookURL for hookUrl); Keap, and the mock without it, ignore it")
	fs.StringVar(&f.dataDir, "data", "", "keep hooks, secrets, deliveries and pending retries in this `directory` across restarts")
	fs.Func("retain", "finished deliveries kept for /_mock/deliveries, oldest forgotten first: a count (`N`) or a size such as 64MB (default: 20000 or 64MB, whichever comes first)", func(v string) error {
		r, err := delivery.ParseRetention(v)
		if err != nil {
			return errors.New("want a positive count such as 5000 or a whole size such as 64MB (KB, MB, GB)")
		}
		f.retain = r
		return nil
	})
	f.delivery.define(fs)
	args, err := fs.parse(e, args)
	if err != nil {
		return err
	}
	if err := noArgs(args); err != nil {
		return err
	}
	u := newUI(e.stdout, e.getenv, f.json)
	opts, err := f.options(u)
	if err != nil {
		return fs.usage(err)
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return listenError(f.addr, err)
	}
	base, shown := mockAddress(f.publicURL.root, ln.Addr())
	if base != "" {
		opts = append(opts, mock.WithBaseURL(base))
	}
	m, err := mock.New(opts...)
	if err != nil {
		ln.Close()
		return err
	}
	defer m.Close()
	f.banner(u, shown, base == "")
	if err := serve(ctx, ln, m, m.CloseStreams); err != nil {
		return err
	}
	u.Logger().Info("mock stopped")
	return nil
}

func (f *mockFlags) options(u *ui) ([]mock.Option, error) {
	if f.handshakeTimeout <= 0 {
		return nil, fmt.Errorf("--handshake-timeout must be positive, got %s", f.handshakeTimeout)
	}
	opts, err := f.delivery.options()
	if err != nil {
		return nil, err
	}
	opts = append(opts, mock.WithLogger(u.Logger()), mock.WithHandshakeTimeout(f.handshakeTimeout))
	if f.dataDir != "" {
		opts = append(opts, mock.WithDataDir(f.dataDir))
	}
	if f.seedData {
		opts = append(opts, mock.WithSeedData())
	}
	if f.retain != (delivery.Retention{}) {
		opts = append(opts, mock.WithRetain(f.retain))
	}
	if f.rateLimits {
		opts = append(opts, mock.WithRateLimits())
	}
	if f.strictFields {
		opts = append(opts, mock.WithStrictFields())
	}
	if len(f.tokens) > 0 {
		opts = append(opts, mock.WithTokens(f.tokens...))
	}
	if f.eventKeysFile != "" {
		file, err := os.Open(f.eventKeysFile)
		if err != nil {
			return nil, fmt.Errorf("--event-keys: %v", err)
		}
		defer file.Close()
		keys, err := fixtures.ParseEventKeys(file)
		if err != nil {
			return nil, fmt.Errorf("--event-keys %s: %v", f.eventKeysFile, err)
		}
		opts = append(opts, mock.WithEventKeys(keys))
	}
	return opts, nil
}

// banner says where the mock is and what to try. learning is true when apiUrls will use the
// address of the mock's first client (see mockAddress).
func (f *mockFlags) banner(u *ui, base string, learning bool) {
	token := "dev"
	tokenNote := "any non-empty token is accepted (use --token to accept only yours)"
	if len(f.tokens) > 0 {
		// The examples never show a real token: consoles end up in screenshots and CI logs.
		token = "$KEAPHOOK_TOKEN"
		tokenNote = fmt.Sprintf("only the %d token(s) given with --token are accepted; the examples read yours from $KEAPHOOK_TOKEN", len(f.tokens))
	}
	if u.json {
		u.Logger().Info("mock listening", "baseUrl", base, "apiUrl", base+"/crm/rest", "tokens", tokenNote,
			"deliveries", f.delivery.describe(), "apiUrlsFromFirstClient", learning,
			"inspectorUrl", base+"/_mock/ui/")
		return
	}
	u.Headf("keaphook mock Keap is listening on %s", base)
	u.Infof("  Keap API base:  %s/crm/rest   (instead of https://api.infusionsoft.com/crm/rest)", base)
	if learning {
		u.Infof("  apiUrls:        name the mock as its first client reaches it (it listens on every interface; --public-url fixes the address)")
	}
	u.Infof("  auth:           %s", tokenNote)
	u.Infof("  deliveries:     %s", f.delivery.describe())
	uiToken := token
	if len(f.tokens) > 0 {
		uiToken = "<your token>"
	}
	u.Infof("  inspector:      %s/_mock/ui/?token=%s   (open once in a browser; it keeps a session cookie)", base, uiToken)
	u.Infof("  try:            curl -H \"Authorization: Bearer %s\" %s/crm/rest/v1/hooks/event_keys", token, base)
	u.Infof("  create a hook:  curl -X POST -H \"Authorization: Bearer %s\" -H 'Content-Type: application/json' \\", token)
	u.Infof(`                    -d '{"eventKey":"contact.add","hookUrl":"http://127.0.0.1:3000/hooks"}' %s/crm/rest/v1/hooks`, base)
	u.Infof("  make an event:  curl -X POST -H \"Authorization: Bearer %s\" -d '{\"eventKey\":\"contact.add\",\"ids\":[12,13]}' %s/_mock/events", token, base)
	if f.delivery.timing == delivery.TimingVirtual {
		u.Infof("  move the clock: curl -X POST -H \"Authorization: Bearer %s\" -d '{\"by\":\"5m\"}' %s/_mock/clock/advance", token, base)
	}
	u.Infof("Press Ctrl-C to stop.")
}

// reachableAddr is addr as a client on this machine can dial it: a listener on every
// interface (0.0.0.0 or ::) is reached through loopback.
func reachableAddr(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return addr.String()
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
}
