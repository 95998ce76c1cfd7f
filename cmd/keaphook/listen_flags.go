package main

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/mock/localca"
	"github.com/keaphook/keaphook/tunnel"
	"github.com/keaphook/keaphook/tunnel/inspect"
	"github.com/keaphook/keaphook/tunnel/receiver"
)

// listenFlags are the flags of `keaphook listen`.
type listenFlags struct {
	addr           string
	forwardTo      string
	forwardTimeout time.Duration
	tunnel         string
	ngrokURL       string
	ngrokTimeout   time.Duration
	register       stringList
	wait           time.Duration
	keapURL        string
	token          string
	apiKey         string
	delayed        bool
	signing        signingFlags
	record         string
	maxBody        int64
	expand         bool
	verbose        bool
	json           bool
	inspect        string
	tls            bool
	trust          trustFlags
	roots          *x509.CertPool // what https:// URLs are verified against, from trust
	caPath         string         // with --tls: the CA certificate senders must trust
}

const listenHelp = `listen [flags]

Receive Keap REST Hooks on this machine: answer the X-Hook-Secret handshake (so your app
needs no header logic), check signatures, print and record every delivery, forward it to
your app and return the app's answer to Keap. With --tunnel ngrok the relay gets a public
URL; with --register it creates the hooks on Keap (or on the mock, with --keap) and deletes
them again on Ctrl-C.

Each hook is registered at <public URL>/hooks/<event key>. With --expand the app receives
the delivery with "objects" appended: [{"id","apiUrl","object"|"error"}, ...] in the order
of object_keys (entries with an empty apiUrl carry neither), without the sender's signature
headers, which cannot match the longer body.

Examples:
  keaphook listen                                   # answer handshakes on http://127.0.0.1:4000,
                                                    # the inspector on http://127.0.0.1:4040
  keaphook listen --forward-to http://localhost:3000/keap --record deliveries.jsonl
  keaphook listen --keap http://127.0.0.1:8080/crm/rest --token dev --register contact.add --delayed
  keaphook listen --tls --keap https://127.0.0.1:8080/crm/rest --token dev --register contact.add   # with mock --tls
  NGROK_AUTHTOKEN=... KEAP_ACCESS_TOKEN=... keaphook listen --tunnel ngrok \
      --forward-to http://localhost:3000/keap --register contact.add,contact.edit`

func (f *listenFlags) define() *flagSet {
	fs := newFlagSet("listen", listenHelp)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:4000", "`address` to listen on (without --tunnel, the public URL is http://<addr>)")
	fs.StringVar(&f.forwardTo, "forward-to", "", "your app's `URL`; deliveries are forwarded there (none: answer 200 and print)")
	fs.DurationVar(&f.forwardTimeout, "forward-timeout", receiver.DefaultForwardTimeout, "how long the app may take before Keap gets a 504 (Keap waits 30s)")
	fs.choiceVar(&f.tunnel, "tunnel", "none", "give the relay a public URL (ngrok needs NGROK_AUTHTOKEN)", "none", "ngrok")
	fs.StringVar(&f.ngrokURL, "ngrok-url", "", "reserved ngrok `domain` to use (default: a random one)")
	fs.DurationVar(&f.ngrokTimeout, "ngrok-timeout", tunnel.DefaultNgrokTimeout, "how long to wait for the ngrok tunnel")
	fs.Var(&f.register, "register", "event `keys` to create hooks for at start and delete at exit (comma-separated)")
	fs.DurationVar(&f.wait, "wait", defaultKeapWait, "with --register, how long to wait for Keap to answer at start (a mock started just after)")
	fs.StringVar(&f.keapURL, "keap", keap.DefaultBaseURL, "Keap REST API base `URL` (a mock: http://127.0.0.1:8080/crm/rest)")
	fs.StringVar(&f.token, "token", "", "Keap OAuth access `token` (default $KEAP_ACCESS_TOKEN), sent as Bearer")
	fs.StringVar(&f.apiKey, "api-key", "", "Keap Personal Access Token or Service Account `key` (default $KEAP_API_KEY)")
	fs.BoolVar(&f.delayed, "delayed", false, "answer the handshake without the echo and confirm through delayedVerify")
	f.signing.define(fs, "require signed deliveries", "signing `secret` (repeatable or comma-separated, for rotation)")
	fs.StringVar(&f.record, "record", "", "append every request and its answer to `file` as JSON lines")
	fs.Int64Var(&f.maxBody, "max-body", receiver.DefaultMaxBody, "largest body accepted, in `bytes`")
	fs.BoolVar(&f.expand, "expand", false, "fetch each apiUrl with your token and forward the objects with the event")
	fs.BoolVar(&f.verbose, "verbose", false, "print each delivery's full JSON body")
	fs.BoolVar(&f.json, "json", false, "print one JSON object per line")
	fs.StringVar(&f.inspect, "inspect", inspect.DefaultAddr, "`address` of the web inspector (each request, the forward, a replay button), or off")
	fs.BoolVar(&f.tls, "tls", false, "serve HTTPS with a certificate from keaphook's local CA (see keaphook ca)")
	f.trust.define(fs)
	return fs
}

// check fills defaults from the environment and reports a command line that cannot work.
func (f *listenFlags) check(e env) error {
	f.token = cmp.Or(f.token, e.getenv("KEAP_ACCESS_TOKEN"))
	f.apiKey = cmp.Or(f.apiKey, e.getenv("KEAP_API_KEY"))
	needKeap := len(f.register) > 0 || f.expand
	switch {
	case needKeap && f.token == "" && f.apiKey == "":
		flag := "--register"
		if len(f.register) == 0 {
			flag = "--expand"
		}
		return fmt.Errorf("%s calls Keap and needs a token: set KEAP_ACCESS_TOKEN (OAuth access token) "+
			"or KEAP_API_KEY (Personal Access Token / Service Account Key), or pass --token or --api-key "+
			"(the mock accepts any non-empty token)", flag)
	case f.delayed && len(f.register) == 0:
		return errors.New("--delayed confirms the hooks this run registers through delayedVerify; add --register KEYS")
	case f.expand && f.forwardTo == "":
		return errors.New("--expand adds the fetched objects to what is forwarded; add --forward-to URL")
	case f.tls && f.tunnel == "ngrok":
		return errors.New("--tls serves HTTPS on this machine, but an ngrok tunnel already gives an https:// URL and terminates TLS at ngrok; drop one of the two")
	case f.maxBody <= 0 || f.forwardTimeout <= 0 || f.ngrokTimeout <= 0:
		return errors.New("--max-body, --forward-timeout and --ngrok-timeout must be positive")
	case f.wait < 0:
		return errors.New("--wait must not be negative (0: try Keap once)")
	}
	return nil
}

// keapClient is nil when this run does not call Keap.
func (f *listenFlags) keapClient() (*keapclient.Client, error) {
	if len(f.register) == 0 && !f.expand {
		return nil, nil
	}
	opts := []keapclient.Option{keapclient.WithUserAgent("keaphook-listen"), keapclient.WithTimeout(keapCallTimeout),
		keapclient.WithTransport(localca.Transport(f.roots))}
	if f.token != "" {
		opts = append(opts, keapclient.WithBearerToken(f.token))
	} else {
		opts = append(opts, keapclient.WithAPIKey(f.apiKey))
	}
	return keapclient.New(f.keapURL, opts...)
}

func (f *listenFlags) openListener(ctx context.Context, e env) (tunnel.Listener, error) {
	if f.tls {
		return f.openTLS()
	}
	if f.tunnel != "ngrok" {
		return tunnel.Local(f.addr)
	}
	open := e.openNgrok
	if open == nil {
		open = tunnel.Ngrok
	}
	return open(ctx, tunnel.NgrokConfig{
		AuthToken: e.getenv("NGROK_AUTHTOKEN"), URL: f.ngrokURL, Timeout: f.ngrokTimeout,
	})
}

// openTLS listens on --addr over TLS, with a certificate from the local CA.
func (f *listenFlags) openTLS() (tunnel.Listener, error) {
	cfg, ca, err := f.trust.serverTLS(f.addr, time.Now())
	if err != nil {
		return nil, usagef("--tls: %v", err)
	}
	ln, err := tunnel.Local(f.addr)
	if err != nil {
		return nil, err
	}
	f.caPath = ca.CertPath()
	return tunnel.TLS(ln, cfg)
}
