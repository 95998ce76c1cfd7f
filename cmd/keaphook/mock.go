package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/localca"
	"github.com/keaphook/keaphook/mock/store"
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
	dataSync         *time.Duration
	delivery         deliveryFlags
	tls              bool
	requireHTTPS     bool
	sender           string
	trust            trustFlags
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
  KEAPHOOK_MOCK_ADDR=127.0.0.1:9090 keaphook mock
  keaphook mock --tls                    # HTTPS, with a certificate from the local CA (keaphook ca path)
  keaphook mock --sender hwr --signing-secret s3cret --ca-file my-dev-ca.pem`

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
	fs.Func("data-sync", "with --data, how often changes are synced to disk: a `duration` such as 1s, or commit to sync before every call returns (default 1s; every change survives the mock being killed either way)", func(v string) error {
		d, err := parseDataSync(v)
		f.dataSync = &d
		return err
	})
	fs.Func("retain", "finished deliveries kept for /_mock/deliveries, oldest forgotten first: a count (`N`) or a size such as 64MB (default: 20000 or 64MB, whichever comes first)", func(v string) error {
		r, err := delivery.ParseRetention(v)
		if err != nil {
			return errors.New("want a positive count such as 5000 or a whole size such as 64MB (KB, MB, GB)")
		}
		f.retain = r
		return nil
	})
	f.delivery.define(fs)
	fs.BoolVar(&f.tls, "tls", false, "serve HTTPS with a certificate from keaphook's local CA (see keaphook ca); every apiUrl then uses https")
	fs.BoolVar(&f.requireHTTPS, "require-https", false, "refuse http:// hookUrls at create and update with a 400, as senders that require HTTPS do")
	fs.choiceVar(&f.sender, "sender", "keap", "imitate this sender: keap, or hwr (HTTPS only, hmac-hex in X-HWR-SIGNATURE, every 15m, 10 attempts, only 200 succeeds); flags given override it", "keap", "hwr")
	f.trust.define(fs)
	args, err := fs.parse(e, args)
	if err != nil {
		return err
	}
	if err := noArgs(args); err != nil {
		return err
	}
	if err := applySender(fs.FlagSet, f.sender); err != nil {
		return fs.usage(err)
	}
	if err := requireSenderSecret(f.sender, f.delivery.signing); err != nil {
		return fs.usage(err)
	}
	u := newUI(e.stdout, e.getenv, f.json)
	opts, err := f.options(u)
	if err != nil {
		return fs.usage(err)
	}
	ln, caPath, err := f.listen()
	if err != nil {
		return err
	}
	base, shown := mockAddress(f.publicURL.root, ln.Addr())
	if f.tls && f.publicURL.root == "" {
		base, shown = withHTTPS(base), withHTTPS(shown)
	}
	if base != "" {
		opts = append(opts, mock.WithBaseURL(base))
	}
	m, err := mock.New(opts...)
	if err != nil {
		ln.Close()
		return err
	}
	defer m.Close()
	f.banner(u, shown, base == "", caPath)
	var errorLog *log.Logger
	if caPath != "" {
		errorLog = tlsErrorLog(u.Logger(), caPath)
	}
	if err := serveLogging(ctx, ln, m, errorLog, m.CloseStreams); err != nil {
		return err
	}
	u.Logger().Info("mock stopped")
	return nil
}

// listen opens --addr, over TLS with --tls; caPath is then the certificate clients trust.
func (f *mockFlags) listen() (ln net.Listener, caPath string, err error) {
	var cfg *tls.Config
	if f.tls {
		var ca *localca.CA
		if cfg, ca, err = f.trust.serverTLS(f.addr, time.Now()); err != nil {
			return nil, "", asUsage(fmt.Errorf("--tls: %v", err))
		}
		caPath = ca.CertPath()
	}
	if ln, err = net.Listen("tcp", f.addr); err != nil {
		return nil, "", listenError(f.addr, err)
	}
	if cfg != nil {
		ln = tls.NewListener(ln, cfg)
	}
	return ln, caPath, nil
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
	roots, err := f.trust.rootsServing(f.tls)
	if err != nil {
		return nil, err
	}
	opts = append(opts, mock.WithTrustedRoots(roots))
	if f.requireHTTPS {
		opts = append(opts, mock.WithRequireHTTPS())
	}
	if f.dataDir != "" {
		opts = append(opts, mock.WithDataDir(f.dataDir))
	}
	if f.dataSync != nil {
		if f.dataDir == "" {
			return nil, usagef("--data-sync needs --data: without a data directory nothing is written to disk")
		}
		opts = append(opts, mock.WithDataSync(*f.dataSync))
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
// address of the mock's first client (see mockAddress); caPath is the CA to trust under --tls.
func (f *mockFlags) banner(u *ui, base string, learning bool, caPath string) {
	token := "dev"
	tokenNote := "any non-empty token is accepted (use --token to accept only yours)"
	if len(f.tokens) > 0 {
		// The examples never show a real token: consoles end up in screenshots and CI logs.
		token = "$KEAPHOOK_TOKEN"
		tokenNote = fmt.Sprintf("only the %d token(s) given with --token are accepted; the examples read yours from $KEAPHOOK_TOKEN", len(f.tokens))
	}
	deliveries := f.delivery.describe()
	if f.sender != "keap" {
		deliveries = "as the " + f.sender + " sender: " + deliveries
	}
	if f.requireHTTPS {
		deliveries += ", https:// hookUrls only"
	}
	if u.json {
		attrs := []any{"baseUrl", base, "apiUrl", base + "/crm/rest", "tokens", tokenNote, "deliveries", deliveries,
			"apiUrlsFromFirstClient", learning, "inspectorUrl", base + "/_mock/ui/"}
		if caPath != "" {
			attrs = append(attrs, "caCert", caPath)
		}
		if f.dataDir != "" {
			attrs = append(attrs, "dataDir", f.dataDir)
		}
		u.Logger().Info("mock listening", attrs...)
		return
	}
	curl, hookURL := "curl", "http://127.0.0.1:3000/hooks"
	if caPath != "" {
		curl = "curl --cacert " + caPath
	}
	if f.requireHTTPS {
		hookURL = "https://127.0.0.1:3000/hooks"
	}
	u.Headf("keaphook mock Keap is listening on %s", base)
	u.Infof("  Keap API base:  %s/crm/rest   (instead of https://api.infusionsoft.com/crm/rest)", base)
	if learning {
		u.Infof("  apiUrls:        name the mock as its first client reaches it (it listens on every interface; --public-url fixes the address)")
	}
	if caPath != "" {
		u.Infof("  TLS:            a certificate from the local CA %s; have your client trust that file", caPath)
	}
	u.Infof("  auth:           %s", tokenNote)
	u.Infof("  deliveries:     %s", deliveries)
	u.Infof("  state:          %s", f.stateWords())
	uiToken := token
	if len(f.tokens) > 0 {
		uiToken = "<your token>"
	}
	u.Infof("  inspector:      %s/_mock/ui/?token=%s   (open once in a browser; it keeps a session cookie)", base, uiToken)
	u.Infof("  try:            %s -H \"Authorization: Bearer %s\" %s/crm/rest/v1/hooks/event_keys", curl, token, base)
	u.Infof("  create a hook:  %s -X POST -H \"Authorization: Bearer %s\" -H 'Content-Type: application/json' \\", curl, token)
	u.Infof(`                    -d '{"eventKey":"contact.add","hookUrl":"%s"}' %s/crm/rest/v1/hooks`, hookURL, base)
	u.Infof("  make an event:  %s -X POST -H \"Authorization: Bearer %s\" -d '{\"eventKey\":\"contact.add\",\"ids\":[12,13]}' %s/_mock/events", curl, token, base)
	if f.delivery.timing == delivery.TimingVirtual {
		u.Infof("  move the clock: %s -X POST -H \"Authorization: Bearer %s\" -d '{\"by\":\"5m\"}' %s/_mock/clock/advance", curl, token, base)
	}
	u.Infof("Press Ctrl-C to stop.")
}

// stateWords says where hooks and deliveries live, so that a run with --data shows which
// directory it resumed from and one without it does not look durable.
func (f *mockFlags) stateWords() string {
	if f.dataDir == "" {
		return "in memory, gone when the mock stops (--data DIR keeps it across restarts)"
	}
	every := store.DefaultSyncEvery
	if f.dataSync != nil {
		every = *f.dataSync
	}
	sync := "synced to disk every " + every.String()
	if every == 0 {
		sync = "synced to disk before every call returns"
	}
	return fmt.Sprintf("kept in %s (%s), resumed at the next start", filepath.Join(f.dataDir, store.FileName), sync)
}

// withHTTPS is a root URL of the mock served over TLS: http://h:p becomes https://h:p.
func withHTTPS(root string) string {
	if rest, ok := strings.CutPrefix(root, "http://"); ok {
		return "https://" + rest
	}
	return root
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

// parseDataSync reads --data-sync: "commit", or a positive duration.
func parseDataSync(v string) (time.Duration, error) {
	if v == "commit" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, errors.New("want a positive duration such as 1s or 100ms, or commit to sync before every call returns")
	}
	return d, nil
}
