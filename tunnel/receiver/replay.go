package receiver

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
)

// DefaultReplayTimeout bounds each replayed request, as Keap bounds each attempt.
const DefaultReplayTimeout = keap.AttemptTimeout

// maxReplayAnswer bounds how much of an answer a replay keeps.
const maxReplayAnswer = 64 << 10

// Replayer sends recorded requests again, to any URL: a recording of real Keap traffic
// becomes a repeatable test of an app.
type Replayer struct {
	// To is where every request goes, whatever path it was recorded at.
	To string
	// Client sends the requests; nil uses one that follows no redirects, bounded by Timeout,
	// over Transport.
	Client *http.Client
	// Timeout bounds each request when Client is nil; 0 means DefaultReplayTimeout.
	Timeout time.Duration
	// Transport carries the requests when Client is nil (one trusting a local CA for an
	// https:// To); nil means http.DefaultTransport.
	Transport http.RoundTripper
	// KeepSignatures sends the recorded signature headers; by default they are dropped,
	// since they were computed for another moment (and Standard Webhooks checks the time).
	KeepSignatures bool
	// DropHeaders names further signature headers to drop (a custom hmac-hex header).
	DropHeaders []string
	// Sign, when it has a scheme, signs each replayed delivery afresh.
	Sign signature.Config
	// Now and Random feed fresh signatures and handshake secrets; nil means the real ones.
	Now    func() time.Time
	Random io.Reader
}

// ReplayResult is the answer to one replayed request.
type ReplayResult struct {
	Seq      int64
	Kind     Kind
	Status   int // 0 when no answer came
	Body     []byte
	Duration time.Duration
	Err      error
	// Echoed: for a handshake, whether the answer verifies the hook as Keap judges it
	// (keap.JudgeHandshake): a 200 with exactly the fresh secret in one X-Hook-Secret header.
	Echoed bool
}

// OK reports whether the answer is one Keap would accept: a 2xx, and for a handshake a
// 200 echoing the secret.
func (r ReplayResult) OK() bool {
	if r.Err != nil || r.Status < 200 || r.Status > 299 {
		return false
	}
	return r.Kind != KindHandshake || r.Echoed
}

// Send replays rec: same method, the body byte for byte, the recorded headers minus
// hop-by-hop ones and stale signatures. A handshake gets a fresh secret, since the recorded
// one is redacted and a receiver must echo whatever it is sent.
func (p *Replayer) Send(ctx context.Context, rec Record) ReplayResult {
	res := ReplayResult{Seq: rec.Seq, Kind: rec.Kind}
	req, secret, err := p.request(ctx, rec)
	if err != nil {
		res.Err = err
		return res
	}
	now := p.clock()
	start := now()
	resp, err := p.client().Do(req)
	res.Duration = now().Sub(start)
	if err != nil {
		res.Err = err
		return res
	}
	defer resp.Body.Close()
	res.Status = resp.StatusCode
	res.Body, res.Err = io.ReadAll(io.LimitReader(resp.Body, maxReplayAnswer))
	res.Echoed = secret != "" && keap.JudgeHandshake(res.Status, resp.Header, res.Body, secret) == keap.HandshakeVerified
	return res
}

func (p *Replayer) request(ctx context.Context, rec Record) (*http.Request, string, error) {
	body := rec.BodyBytes()
	h := endToEnd(rec.Header) // a copy, free to change
	h.Del("Accept-Encoding")  // let the client negotiate, so answers print readably
	for _, name := range redactedHeaders {
		h.Del(name) // the recording holds no value for them
	}
	if !p.KeepSignatures {
		for _, name := range slices.Concat(SignatureHeaders, p.DropHeaders) {
			h.Del(name)
		}
	}
	var secret string
	if rec.Kind == KindHandshake {
		s, err := freshSecret(cmp.Or[io.Reader](p.Random, rand.Reader))
		if err != nil {
			return nil, "", err
		}
		secret = s
		h.Set(secretHeader, secret)
	} else if err := p.sign(h, rec, body); err != nil {
		return nil, "", err
	}
	req, err := http.NewRequestWithContext(ctx, cmp.Or(rec.Method, http.MethodPost), p.To, bytes.NewReader(body))
	if err != nil {
		return nil, "", fmt.Errorf("replay: %w", err)
	}
	req.Header = h
	return req, secret, nil
}

func (p *Replayer) sign(h http.Header, rec Record, body []byte) error {
	if p.Sign.Scheme == "" || p.Sign.Scheme == signature.None {
		return nil
	}
	return p.Sign.Sign(h, "keaphook-replay-"+strconv.FormatInt(rec.Seq, 10), p.clock()(), body)
}

func (p *Replayer) clock() func() time.Time {
	if p.Now != nil {
		return p.Now
	}
	return time.Now
}

func (p *Replayer) client() *http.Client {
	if p.Client != nil {
		return p.Client
	}
	return &http.Client{
		Transport:     p.Transport,
		Timeout:       cmp.Or(p.Timeout, DefaultReplayTimeout),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func freshSecret(r io.Reader) (string, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("replay: drawing a handshake secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// SelectRecords picks what to replay. With ids, exactly those records (whatever their kind),
// in recording order, and an error naming any id that is missing. Without, every delivery,
// plus handshakes when asked; requests the relay refused are left out.
func SelectRecords(recs []Record, ids []int64, handshakes bool) ([]Record, error) {
	var out []Record
	if len(ids) > 0 {
		var missing []string
		for _, id := range ids {
			if !slices.ContainsFunc(recs, func(r Record) bool { return r.Seq == id }) {
				missing = append(missing, strconv.FormatInt(id, 10))
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("no record with id %s (the recording has %s)", strings.Join(missing, ", "), seqRange(recs))
		}
		for _, r := range recs {
			if slices.Contains(ids, r.Seq) {
				out = append(out, r)
			}
		}
		return out, nil
	}
	for _, r := range recs {
		if r.Kind == KindDelivery || (handshakes && r.Kind == KindHandshake) {
			out = append(out, r)
		}
	}
	return out, nil
}

func seqRange(recs []Record) string {
	if len(recs) == 0 {
		return "no records"
	}
	lo, hi := recs[0].Seq, recs[0].Seq
	for _, r := range recs {
		lo, hi = min(lo, r.Seq), max(hi, r.Seq)
	}
	return fmt.Sprintf("ids %d to %d", lo, hi)
}
