package main

import (
	"crypto/x509"
	"encoding/pem"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/localca"
	"github.com/keaphook/keaphook/mock/testkit"
)

func TestTrustFlagsRoots(t *testing.T) {
	now := time.Now()
	dir := t.TempDir()
	local, err := localca.Open(filepath.Join(dir, "ca"), now)
	if err != nil {
		t.Fatal(err)
	}
	other := testkit.NewCA(t, now)
	otherFile := filepath.Join(dir, "other.pem")
	os.WriteFile(otherFile, other.CertPEM(), 0o644)

	tf := trustFlags{caDir: filepath.Join(dir, "ca"), caFiles: stringList{otherFile}}
	roots, err := tf.roots()
	if err != nil {
		t.Fatal(err)
	}
	for name, ca := range map[string]*localca.CA{"the local CA": local, "a --ca-file": other} {
		leaf, _ := ca.Issue(localca.ValidFrom(now), "localhost")
		b, _ := pem.Decode(leaf.CertPEM)
		cert, _ := x509.ParseCertificate(b.Bytes)
		if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: "localhost"}); err != nil {
			t.Errorf("%s is not trusted: %v", name, err)
		}
	}

	// No CA in --ca-dir is not an error, and nothing is created there.
	empty := trustFlags{caDir: filepath.Join(dir, "none")}
	if _, err := empty.roots(); err != nil {
		t.Errorf("no local CA: %v", err)
	}
	if _, err := os.Stat(empty.caDir); err == nil {
		t.Error("trusting created a CA")
	}
	notPEM := filepath.Join(dir, "notes.txt")
	os.WriteFile(notPEM, []byte("hello"), 0o644)
	for _, tf := range []trustFlags{{caFiles: stringList{notPEM}}, {caFiles: stringList{filepath.Join(dir, "missing.pem")}}} {
		if _, err := tf.roots(); err == nil || !strings.Contains(err.Error(), "--ca-file") {
			t.Errorf("%v: %v; want an error naming --ca-file", tf.caFiles, err)
		}
	}
}

func TestServerTLSNamesTheAddress(t *testing.T) {
	tf := trustFlags{caDir: filepath.Join(t.TempDir(), "ca")}
	cfg, ca, err := tf.serverTLS("devbox.lan:8443", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
	for _, host := range []string{"devbox.lan", "localhost", "127.0.0.1", "::1"} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: host}); err != nil {
			t.Errorf("%s: %v", host, err)
		}
	}
	if ca.CertPath() != filepath.Join(tf.caDir, localca.CertFile) {
		t.Errorf("CA at %q", ca.CertPath())
	}
	if _, _, err := (&trustFlags{}).serverTLS(":8443", time.Now()); err == nil || !strings.Contains(err.Error(), "--ca-dir") {
		t.Errorf("no CA directory: %v", err)
	}
}

func TestSenderPresetYieldsToExplicitFlags(t *testing.T) {
	newFS := func() (*flag.FlagSet, map[string]*string) {
		fs := flag.NewFlagSet("mock", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		vals := map[string]*string{}
		for _, name := range []string{"require-https", "sign", "signature-header", "retry-schedule", "max-attempts", "success"} {
			vals[name] = fs.String(name, "", "")
		}
		return fs, vals
	}
	fs, vals := newFS()
	fs.String("signing-secret", "", "")
	fs.Parse([]string{"--max-attempts", "3", "--signing-secret", "s3cret"})
	if err := applySender(fs, "hwr"); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"require-https": "true", "sign": "hmac-hex", "signature-header": "X-HWR-SIGNATURE",
		"retry-schedule": "15m", "max-attempts": "3", "success": "200"}
	for name, v := range want {
		if *vals[name] != v {
			t.Errorf("--%s = %q, want %q", name, *vals[name], v)
		}
	}
	fs, vals = newFS()
	if err := applySender(fs, "keap"); err != nil || *vals["sign"] != "" {
		t.Errorf("keap changed a flag: %v %q", err, *vals["sign"])
	}
	if err := applySender(fs, "stripe"); err == nil || !strings.Contains(err.Error(), "hwr, keap") {
		t.Errorf("unknown sender: %v", err)
	}
}

func TestTLSErrorLogSaysWhatToDo(t *testing.T) {
	var buf strings.Builder
	l := tlsErrorLog(slog.New(slog.NewTextHandler(&buf, nil)), "/ca/rootCA.pem")
	l.Print("http: TLS handshake error from 127.0.0.1:5000: remote error: tls: bad certificate")
	l.Print("http: TLS handshake error from 127.0.0.1:5001: client sent an HTTP request to an HTTPS server")
	l.Print("http: Accept error: too many open files")
	out := buf.String()
	for _, want := range []string{
		"TLS handshake from 127.0.0.1:5000 failed (remote error: tls: bad certificate); a client that refuses the certificate must trust the CA certificate /ca/rootCA.pem",
		"TLS handshake from 127.0.0.1:5001 failed (client sent an HTTP request to an HTTPS server); this server speaks HTTPS: use an https:// URL",
		"http: Accept error: too many open files",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the log does not say %q:\n%s", want, out)
		}
	}
}

// A signing preset needs a secret only while something is signed: --sign none given with
// --sender hwr turns the signing off, and the secret with it.
func TestSenderSecretOnlyWhileSigning(t *testing.T) {
	for _, c := range []struct {
		sender string
		s      signingFlags
		needed bool
	}{
		{"hwr", signingFlags{sign: "hmac-hex", header: "X-HWR-SIGNATURE"}, true},
		{"hwr", signingFlags{sign: "hmac-hex", secrets: stringList{"s3cret"}}, false},
		{"hwr", signingFlags{sign: "none"}, false},
		{"keap", signingFlags{sign: "none"}, false},
	} {
		if err := requireSenderSecret(c.sender, c.s); (err != nil) != c.needed {
			t.Errorf("--sender %s with %+v: %v; want a secret needed: %v", c.sender, c.s, err, c.needed)
		}
	}
}

// With --tls a run reads its local CA once: the certificate it serves and the roots it trusts
// come from that one reading, even when the directory changes while the run starts.
func TestTLSRunReadsTheLocalCAOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	trust := trustFlags{caDir: dir}
	roots, err := trust.rootsServing(true)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := trust.serverTLS("127.0.0.1:0", time.Now())
	if err != nil {
		t.Fatalf("serverTLS after the CA directory went: %v", err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("serverTLS read the CA directory again and created a new CA there")
	}
	leaf, err := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "127.0.0.1"}); err != nil {
		t.Errorf("the served certificate does not verify against the roots of the same run: %v", err)
	}
}
