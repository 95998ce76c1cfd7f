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
	sign           string
	secrets        stringList
	sigHeader      string
	timeout        time.Duration
	json           bool
}

const replaySynopsis = `replay FILE --to URL [flags]

Send the requests recorded by 'keaphook listen --record FILE' again: same method, the body
byte for byte, the recorded headers minus hop-by-hop ones and minus the stale signature
headers (unless --keep-signatures; --sign signs them afresh). Deliveries are replayed;
handshakes only with --handshakes or --id (with a fresh X-Hook-Secret, which must be echoed).
Exits 1 if any answer is not a 2xx.`

func runReplay(ctx context.Context, e env, args []string) int {
	var f replayFlags
	fs := newFlagSet(e, "replay", replaySynopsis)
	fs.StringVar(&f.to, "to", "", "`URL` to send the requests to (required)")
	fs.Var(&f.ids, "id", "replay only the records with these sequence `ids` (repeatable or comma-separated)")
	fs.BoolVar(&f.handshakes, "handshakes", false, "replay recorded handshakes too")
	fs.BoolVar(&f.keepSignatures, "keep-signatures", false, "send the recorded signature headers as they are")
	fs.StringVar(&f.sign, "sign", "none", "sign each delivery afresh: none, hmac-hex or standard")
	fs.Var(&f.secrets, "signing-secret", "signing `secret` for --sign (repeatable)")
	fs.StringVar(&f.sigHeader, "signature-header", signature.DefaultHMACHeader, "`header` of the hmac-hex signature")
	fs.DurationVar(&f.timeout, "timeout", receiver.DefaultReplayTimeout, "how long each answer may take")
	fs.BoolVar(&f.json, "json", false, "print one JSON object per line")
	// The file may come before the flags: keaphook replay rec.jsonl --to URL.
	file, rest := splitFirstArg(args)
	if code := parseFlags(fs, e, rest); code >= 0 {
		return code
	}
	if file == "" && fs.NArg() > 0 {
		file, rest = fs.Arg(0), fs.Args()[1:]
	} else {
		rest = fs.Args()
	}
	if file == "" || len(rest) > 0 {
		return usagef(e, "replay", "give one recording FILE (got %d arguments); see --help", len(rest)+boolInt(file != ""))
	}
	p, ids, err := f.replayer()
	if err != nil {
		return usagef(e, "replay", "%v", err)
	}
	return replayFile(ctx, e, newListenUI(newUI(e.stdout, e.getenv, f.json), false), p, file, ids, f.handshakes)
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
	sig, err := signingFlags(f.sign, f.secrets, f.sigHeader)
	if err != nil {
		return nil, nil, err
	}
	if f.timeout <= 0 {
		return nil, nil, fmt.Errorf("--timeout must be positive")
	}
	p := &receiver.Replayer{To: f.to, Timeout: f.timeout, KeepSignatures: f.keepSignatures, Sign: sig}
	if f.sigHeader != signature.DefaultHMACHeader {
		p.DropHeaders = []string{f.sigHeader}
	}
	return p, ids, nil
}

func replayFile(ctx context.Context, e env, out *listenUI, p *receiver.Replayer, file string, ids []int64, handshakes bool) int {
	fh, err := os.Open(file)
	if err != nil {
		return failf(e, "replay", "%v", err)
	}
	recs, err := receiver.ReadRecords(fh)
	fh.Close()
	if err != nil {
		return failf(e, "replay", "%s: %v", file, err)
	}
	recs, err = receiver.SelectRecords(recs, ids, handshakes)
	if err != nil {
		return failf(e, "replay", "%s: %v", file, err)
	}
	if len(recs) == 0 {
		return failf(e, "replay", "%s holds no deliveries to replay (handshakes are replayed with --handshakes)", file)
	}
	failed := 0
	for i, rec := range recs {
		if ctx.Err() != nil {
			return failf(e, "replay", "interrupted after %d of %d (%d failed)", i, len(recs), failed)
		}
		res := p.Send(ctx, rec)
		if !res.OK() {
			failed++
		}
		out.replayResult(rec, res)
	}
	out.replaySummary(len(recs), failed, p.To)
	if failed > 0 {
		return exitFailure
	}
	return exitOK
}

// splitFirstArg takes a leading non-flag argument (the recording) off args.
func splitFirstArg(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func statusText(code int) string {
	if code == 0 {
		return "no answer"
	}
	return fmt.Sprintf("%d %s", code, http.StatusText(code))
}
