package localca_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/localca"
)

var now = time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)

func TestOpenCreatesOnceAndNeverReplaces(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	first, err := localca.Open(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if first.CertPath() != filepath.Join(dir, localca.CertFile) {
		t.Errorf("CertPath %q", first.CertPath())
	}
	info, err := os.Stat(filepath.Join(dir, localca.KeyFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want 0600", err, info.Mode())
	}
	again, err := localca.Open(dir, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.CertPEM(), again.CertPEM()) {
		t.Error("a second Open made a new CA instead of reading the one there")
	}
	onDisk, _ := os.ReadFile(first.CertPath())
	if !bytes.Equal(onDisk, first.CertPEM()) {
		t.Error("the certificate file is not the CA's certificate")
	}
}

func TestOpenRefusesAnIncompleteCA(t *testing.T) {
	dir := t.TempDir()
	if _, err := localca.Open(dir, now); err != nil {
		t.Fatal(err)
	}
	certBefore, _ := os.ReadFile(filepath.Join(dir, localca.CertFile))
	if err := os.Remove(filepath.Join(dir, localca.KeyFile)); err != nil {
		t.Fatal(err)
	}
	_, err := localca.Open(dir, now)
	if err == nil || !strings.Contains(err.Error(), "incomplete") || !strings.Contains(err.Error(), "never recreated") {
		t.Fatalf("Open over a CA without its key: %v", err)
	}
	certAfter, _ := os.ReadFile(filepath.Join(dir, localca.CertFile))
	if !bytes.Equal(certBefore, certAfter) {
		t.Error("the certificate was replaced")
	}
	if _, err := os.Stat(filepath.Join(dir, localca.KeyFile)); err == nil {
		t.Error("a new key was written next to the old certificate")
	}
}

func TestOpenRejectsGarbage(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{localca.CertFile, localca.KeyFile} {
		os.WriteFile(filepath.Join(dir, f), []byte("not pem"), 0o600)
	}
	if _, err := localca.Open(dir, now); err == nil || !strings.Contains(err.Error(), "cannot be read") {
		t.Fatalf("Open over garbage: %v", err)
	}
}

func TestIssuedLeafVerifiesForItsHostsOnly(t *testing.T) {
	ca, err := localca.New(now)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Issue(localca.ValidFrom(now), "127.0.0.1", "localhost", "::1", "*.dev.test")
	if err != nil {
		t.Fatal(err)
	}
	cert := parse(t, leaf.CertPEM)
	opts := x509.VerifyOptions{Roots: ca.Pool(), CurrentTime: now}
	for _, host := range []string{"127.0.0.1", "localhost", "::1", "app.dev.test"} {
		opts.DNSName = host
		if _, err := cert.Verify(opts); err != nil {
			t.Errorf("%s: %v", host, err)
		}
	}
	opts.DNSName = "example.com"
	if _, err := cert.Verify(opts); err == nil {
		t.Error("the leaf verifies for a host it was not issued for")
	}
	opts.DNSName, opts.CurrentTime = "localhost", now.Add(localca.LeafLifetime+time.Hour)
	if _, err := cert.Verify(opts); err == nil {
		t.Error("the leaf verifies after its lifetime")
	}
	if _, err := leaf.TLSCertificate(); err != nil {
		t.Error(err)
	}
}

func TestIssueRefusesBadHosts(t *testing.T) {
	ca, _ := localca.New(now)
	for _, hosts := range [][]string{nil, {"exa mple.com"}, {"a..b"}, {"a.*.b"}, {"http://x"}} {
		if _, err := ca.Issue(localca.ValidFrom(now), hosts...); err == nil {
			t.Errorf("Issue(%q) succeeded", hosts)
		}
	}
}

func TestWriteLeaf(t *testing.T) {
	ca, _ := localca.New(now)
	dir := filepath.Join(t.TempDir(), "out")
	certPath, keyPath, err := ca.WriteLeaf(dir, now, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tls.LoadX509KeyPair(certPath, keyPath); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(keyPath); info.Mode().Perm() != 0o600 {
		t.Errorf("key.pem mode %v", info.Mode())
	}
}

// A key.pem already there with a wider mode is narrowed, not written into as it is.
func TestWriteLeafOverAnOpenKeyFile(t *testing.T) {
	ca, _ := localca.New(now)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "key.pem"), []byte("old"), 0o644)
	_, keyPath, err := ca.WriteLeaf(dir, now, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(keyPath); info.Mode().Perm() != 0o600 {
		t.Errorf("key.pem mode %v", info.Mode())
	}
}

func TestRoots(t *testing.T) {
	ca, _ := localca.New(now)
	pool, err := localca.Roots(map[string][]byte{"ca.pem": ca.CertPEM()})
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := ca.Issue(localca.ValidFrom(now), "localhost")
	if _, err := parse(t, leaf.CertPEM).Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost", CurrentTime: now}); err != nil {
		t.Errorf("a leaf of a given CA does not verify: %v", err)
	}
	if _, err := localca.Roots(map[string][]byte{"notes.txt": []byte("hello")}); err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("a bundle without certificates: %v", err)
	}
}

func parse(t *testing.T, certPEM []byte) *x509.Certificate {
	t.Helper()
	b, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestLocalHosts(t *testing.T) {
	base := "127.0.0.1 ::1 localhost"
	for addr, want := range map[string]string{
		"127.0.0.1:8080":      base,
		":8080":               base,
		"0.0.0.0:8443":        base,
		"[::]:8443":           base,
		"localhost:8080":      base,
		"[::1]:4000":          base,
		"192.168.1.5:8443":    base + " 192.168.1.5",
		"DevBox.lan:8443":     base + " devbox.lan",
		"[fe80::1%eth0]:8443": base + " fe80::1",
	} {
		if got := strings.Join(localca.LocalHosts(addr), " "); got != want {
			t.Errorf("LocalHosts(%q) = %q, want %q", addr, got, want)
		}
	}
}

// FuzzIssue: any host is either refused or named in the certificate, exactly once and
// nothing else, and the certificate parses.
func FuzzIssue(f *testing.F) {
	for _, seed := range []string{"localhost", "127.0.0.1", "::1", "*.dev.test", "a..b", "exa mple", "[::1]", "host.", "_srv.x", ""} {
		f.Add(seed)
	}
	ca, err := localca.New(now)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, host string) {
		leaf, err := ca.Issue(localca.ValidFrom(now), host)
		if err != nil {
			return
		}
		cert := parse(t, leaf.CertPEM)
		if len(cert.DNSNames)+len(cert.IPAddresses) != 1 {
			t.Fatalf("%q gave names %q and addresses %v", host, cert.DNSNames, cert.IPAddresses)
		}
	})
}

func TestLoadNeverCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	if _, err := localca.Load(dir); !errors.Is(err, localca.ErrNoCA) {
		t.Fatalf("Load of an empty directory: %v", err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("Load created the directory")
	}
	made, _ := localca.Open(dir, now)
	got, err := localca.Load(dir)
	if err != nil || !bytes.Equal(got.CertPEM(), made.CertPEM()) {
		t.Errorf("Load after Open: %v", err)
	}
}

// FuzzLocalHosts: whatever address a server is given, the hosts LocalHosts names can be
// certified, so a server never fails to get its certificate because of its --addr.
func FuzzLocalHosts(f *testing.F) {
	for _, seed := range []string{"127.0.0.1:8080", ":8080", "[::]:443", "devbox.lan:8443", "[fe80::1%eth0]:1", "localhost", "a b:1", "*.x:1"} {
		f.Add(seed)
	}
	ca, err := localca.New(now)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		hosts := localca.LocalHosts(addr)
		if _, err := ca.Issue(localca.ValidFrom(now), hosts...); err != nil {
			t.Fatalf("LocalHosts(%q) = %q cannot be certified: %v", addr, hosts, err)
		}
	})
}

// TestOpenAtOnceMakesOneCA: commands started together on a fresh machine (mock --tls and
// listen --tls) all get the same, whole CA, whatever the directory was: absent, empty, or
// holding other files (--ca-dir given an existing directory).
func TestOpenAtOnceMakesOneCA(t *testing.T) {
	for _, beforehand := range []string{"no directory", "an empty directory", "a directory holding other files"} {
		dir := filepath.Join(t.TempDir(), "keaphook", "ca")
		switch beforehand {
		case "an empty directory":
			os.MkdirAll(dir, 0o700)
		case "a directory holding other files":
			os.MkdirAll(dir, 0o700)
			os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
		}
		const n = 8
		got := make(chan []byte, n)
		errs := make(chan error, n)
		for range n {
			go func() {
				ca, err := localca.Open(dir, now)
				if err != nil {
					errs <- err
					return
				}
				got <- ca.CertPEM()
			}()
		}
		var first []byte
		for range n {
			select {
			case err := <-errs:
				t.Errorf("%s: %v", beforehand, err)
			case pem := <-got:
				if first == nil {
					first = pem
				} else if !bytes.Equal(pem, first) {
					t.Errorf("%s: two different CAs", beforehand)
				}
			}
		}
		if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
			t.Errorf("%s: leftovers beside the CA: %v", beforehand, entries)
		}
		want := 2
		if beforehand == "a directory holding other files" {
			want = 3
		}
		if entries, _ := os.ReadDir(dir); len(entries) != want {
			t.Errorf("%s: leftovers in the CA directory: %v", beforehand, entries)
		}
	}
}

func TestOpenBesideOtherFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	ca, err := localca.Open(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if notes, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(notes) != "mine" || ca.CertPath() != filepath.Join(dir, localca.CertFile) {
		t.Errorf("notes %q, CA at %s", notes, ca.CertPath())
	}
	file := filepath.Join(dir, "notes.txt")
	if _, err := localca.Open(file, now); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("a CA directory that is a file: %v", err)
	}
	if data, _ := os.ReadFile(file); string(data) != "mine" {
		t.Error("the file was touched")
	}
}

// Every client of keaphook verifies certificates against the roots it is given, at TLS 1.2 or
// newer, and gets a Config of its own to adjust.
func TestClientConfig(t *testing.T) {
	ca, err := localca.New(now)
	if err != nil {
		t.Fatal(err)
	}
	pool := ca.Pool()
	a, b := localca.ClientConfig(pool), localca.ClientConfig(nil)
	if a.RootCAs != pool || b.RootCAs != nil || a.InsecureSkipVerify || a.MinVersion < tls.VersionTLS12 || a == b {
		t.Errorf("ClientConfig = %+v, %+v", a, b)
	}
}
