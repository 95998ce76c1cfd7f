package receiver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/keaphook/keaphook/mock/keap"
)

// maxAppResponse bounds how much of the app's answer is read and passed back.
const maxAppResponse = 1 << 20

// forward passes a delivery to the app and turns its answer (or its silence) into the
// answer for the sender. The forward outlives the sender's connection: if Keap gives up
// waiting, the app still gets the delivery whole. An early forward (started while the body
// was arriving) is only finished here.
func (rv *Receiver) forward(r *http.Request, body []byte, ev *Exchange, e *early) answer {
	start := rv.cfg.Now()
	res := &ForwardResult{URL: rv.appName}
	ev.Forward = res
	var a answer
	var err error
	if e != nil {
		start = e.start
		a, err = e.finish()
	} else {
		a, err = rv.forwardRead(r, body, ev)
	}
	res.Duration = rv.cfg.Now().Sub(start)
	if err != nil {
		a = rv.forwardFailure(err)
		res.Err = a.note
		return a
	}
	res.Status = a.status
	a.note = fmt.Sprintf("forwarded to %s: the app answered %d", rv.appName, a.status)
	return a
}

// forwardRead forwards a body that was read whole, expanding it first with --expand.
func (rv *Receiver) forwardRead(r *http.Request, body []byte, ev *Exchange) (answer, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), rv.cfg.ForwardTimeout)
	defer cancel()
	header := endToEnd(r.Header)
	if rv.cfg.Expand != nil {
		// Fetching gets half the time, so that a slow Keap still leaves the app its share:
		// objects not fetched in time are forwarded with their error.
		expandCtx, cancelExpand := context.WithTimeout(ctx, rv.cfg.ForwardTimeout/2)
		body = rv.expand(expandCtx, body, ev)
		cancelExpand()
		// The app gets a body the sender never signed; the relay has checked the signature
		// of the original, and passing it on would only make the app's own check fail.
		for _, name := range rv.signatureHeaders() {
			header.Del(name)
		}
	}
	return rv.roundTrip(ctx, r.Method, header, bytes.NewReader(body), int64(len(body)))
}

// notForwarded is the answer when there is no app to forward to.
func notForwarded() answer {
	return answer{
		status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}},
		body: []byte(`{"received":true}`), note: "received; not forwarded (no app to forward to)",
	}
}

func (rv *Receiver) roundTrip(ctx context.Context, method string, header http.Header, body io.Reader, length int64) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, method, rv.cfg.ForwardTo, body)
	if err != nil {
		return answer{}, err
	}
	req.Header, req.ContentLength = header, length
	if length == 0 {
		req.Body = http.NoBody
	}
	resp, err := rv.client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAppResponse))
	if err != nil {
		return answer{}, err
	}
	if resp.StatusCode < 200 {
		return answer{}, fmt.Errorf("the app answered %d, which is not a final answer", resp.StatusCode)
	}
	return answer{status: resp.StatusCode, header: endToEnd(resp.Header), body: data}, nil
}

// forwardFailure is the answer when the app gave none: 504 when it was too slow, 502 when it
// could not be reached, each with a sentence saying so.
func (rv *Receiver) forwardFailure(err error) answer {
	switch keap.JudgeNoAnswer(err) {
	case keap.NoAnswerTimeout:
		return textAnswer(http.StatusGatewayTimeout, fmt.Sprintf(
			"the app at %s did not answer within %s (Keap itself gives up after 30s and retries)",
			rv.appName, rv.cfg.ForwardTimeout))
	case keap.NoAnswerRefused:
		return textAnswer(http.StatusBadGateway, fmt.Sprintf(
			"could not reach the app at %s: connection refused; is it running?", rv.appName))
	case keap.NoAnswerNotTLS, keap.NoAnswerCertificate:
		return textAnswer(http.StatusBadGateway, fmt.Sprintf("could not reach the app at %s: TLS failed: %s",
			rv.appName, keap.TLSReason(err, rv.appHost())))
	}
	return textAnswer(http.StatusBadGateway, fmt.Sprintf("could not reach the app at %s: %v", rv.appName, keap.NoAnswerDetail(err)))
}

// appHost is the host of the app's URL, for the sentences about its certificate.
func (rv *Receiver) appHost() string {
	u, err := url.Parse(rv.cfg.ForwardTo)
	if err != nil {
		return rv.appName
	}
	return u.Hostname()
}

// signatureHeaders are the headers that sign a delivery, the configured hmac-hex one included.
func (rv *Receiver) signatureHeaders() []string {
	if h := rv.cfg.Signature.Header; h != "" {
		return append([]string{h}, SignatureHeaders...)
	}
	return SignatureHeaders
}
