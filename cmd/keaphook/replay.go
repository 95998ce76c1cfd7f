package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/tunnel/receiver"
)

// replayFlags are the flags of `keaphook replay`.
type replayFlags struct {
	to             string
	ids            stringList
	handshakes     bool
	keepSignatures bool
	signing        signingFlags
	timeout        time.Duration
	json           bool
	trust          trustFlags
}

const replayHelp = `replay FILE --to URL [flags]

Send the requests recorded by 'keaphook listen --record FILE' again: same method, the body
byte for byte, the recorded headers minus hop-by-hop ones and minus the stale signature
headers (unless --keep-signatures; --sign signs them afresh). Deliveries are replayed;
handshakes only with --handshakes or --id (with a fresh X-Hook-Secret, which must be echoed).
Exits 1 if any answer is not a 2xx.

Examples:
  keaphook replay deliveries.jsonl --to http://localhost:3000/keap
  keaphook replay deliveries.jsonl --to http://localhost:3000/keap --id 3 --handshakes
  keaphook replay deliveries.jsonl --to http://localhost:3000/keap --sign hmac-hex --signing-secret s3cret`

func runReplay(ctx context.Context, e env, args []string) error {
	var f replayFlags
	fs := newFlagSet("replay", replayHelp)
	fs.StringVar(&f.to, "to", "", "`URL` to send the requests to (required)")
	fs.Var(&f.ids, "id", "replay only the records with these sequence `ids` (repeatable or comma-separated)")
	fs.BoolVar(&f.handshakes, "handshakes", false, "replay recorded handshakes too")
	fs.BoolVar(&f.keepSignatures, "keep-signatures", false, "send the recorded signature headers as they are")
	f.signing.define(fs, "sign each delivery afresh", "signing `secret` for --sign (repeatable)")
	fs.DurationVar(&f.timeout, "timeout", receiver.DefaultReplayTimeout, "how long each answer may take")
	fs.BoolVar(&f.json, "json", false, "print one JSON object per line")
	f.trust.define(fs)
	args, err := fs.parse(e, args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return usagef("give one recording FILE and send it with --to URL (got %s)", argCount(args))
	}
	p, ids, err := f.replayer()
	if err != nil {
		return fs.usage(err)
	}
	return replayFile(ctx, newListenUI(newUI(e.stdout, e.getenv, f.json), false), p, args[0], ids, f.handshakes)
}

func (f *replayFlags) replayer() (*receiver.Replayer, []int64, error) {
	u, err := url.Parse(f.to)
	if f.to == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, fmt.Errorf("--to must be the absolute http(s) URL to send to, e.g. http://localhost:3000/keap (got %q)", f.to)
	}
	var ids []int64
	for _, s := range f.ids {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, nil, fmt.Errorf("--id %q: want a record's sequence number (the \"seq\" of its line)", s)
		}
		ids = append(ids, id)
	}
	sig, err := f.signing.config()
	if err != nil {
		return nil, nil, err
	}
	if f.timeout <= 0 {
		return nil, nil, fmt.Errorf("--timeout must be positive")
	}
	tr, err := f.trust.transport()
	if err != nil {
		return nil, nil, err
	}
	p := &receiver.Replayer{To: f.to, Timeout: f.timeout, KeepSignatures: f.keepSignatures, Sign: sig, Transport: tr}
	if f.signing.header != signature.DefaultHMACHeader {
		p.DropHeaders = []string{f.signing.header}
	}
	return p, ids, nil
}

func replayFile(ctx context.Context, out *listenUI, p *receiver.Replayer, file string, ids []int64, handshakes bool) error {
	fh, err := os.Open(file)
	if err != nil {
		return err
	}
	recs, err := receiver.ReadRecords(fh)
	fh.Close()
	if err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	recs, err = receiver.SelectRecords(recs, ids, handshakes)
	if err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	if len(recs) == 0 {
		return fmt.Errorf("%s holds no deliveries to replay (handshakes are replayed with --handshakes)", file)
	}
	failed := 0
	for i, rec := range recs {
		if ctx.Err() != nil {
			return interrupted("interrupted after %d of %d (%d failed)", i, len(recs), failed)
		}
		res := p.Send(ctx, rec)
		if !res.OK() {
			failed++
		}
		out.replayResult(rec, res)
	}
	out.replaySummary(len(recs), failed, p.To)
	if failed > 0 {
		return errReported
	}
	return nil
}

// argCount says how many arguments were given, for the usage errors of commands that take one.
func argCount(args []string) string {
	if len(args) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d: %s", len(args), strings.Join(args, " "))
}

func statusText(code int) string {
	if code == 0 {
		return "no answer"
	}
	return fmt.Sprintf("%d %s", code, http.StatusText(code))
}
