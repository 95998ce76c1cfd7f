package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/localca"
)

// trustFlags are --ca-dir and --ca-file: where keaphook's local CA lives, and the other CAs
// to trust. Every command that speaks HTTPS trusts the system's roots, the local CA (when
// one exists) and each --ca-file; none can skip verification.
type trustFlags struct {
	caDir   string
	caFiles stringList

	// ca is the local CA once read (or created) from caDir. A run reads it once, so that the
	// certificate it serves and the roots it trusts come from one reading of the directory.
	ca *localca.CA
}

func (t *trustFlags) define(fs *flagSet) {
	dir, _ := localca.DefaultDir() // no config directory: --ca-dir must then be given to serve TLS
	fs.StringVar(&t.caDir, "ca-dir", dir, "`directory` of keaphook's local CA, created there on first use and never replaced")
	fs.Var(&t.caFiles, "ca-file", "also trust the CA certificates in this PEM `file` for https:// URLs (repeatable)")
}

// roots is the system's roots plus the local CA, when it exists, and every --ca-file. A
// command serving TLS creates the CA first (rootsServing), so that it also trusts its own.
func (t *trustFlags) roots() (*x509.CertPool, error) {
	pems := map[string][]byte{}
	for _, name := range t.caFiles {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("--ca-file: %v", err)
		}
		pems["--ca-file "+name] = data
	}
	ca, err := t.existingCA()
	if err != nil {
		return nil, err
	}
	if ca != nil {
		pems[ca.CertPath()] = ca.CertPEM()
	}
	return localca.Roots(pems)
}

// existingCA is the local CA when --ca-dir holds one (nil when it holds none), never
// creating it.
func (t *trustFlags) existingCA() (*localca.CA, error) {
	if t.ca != nil || t.caDir == "" {
		return t.ca, nil
	}
	ca, err := localca.Load(t.caDir)
	switch {
	case errors.Is(err, localca.ErrNoCA):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("--ca-dir: %v", err)
	}
	t.ca = ca
	return ca, nil
}

// rootsServing is roots(), after creating the local CA when the command serves TLS, so that
// the command also trusts its own certificate.
func (t *trustFlags) rootsServing(serveTLS bool) (*x509.CertPool, error) {
	if serveTLS {
		if _, err := t.openCA(time.Now()); err != nil {
			return nil, fmt.Errorf("--tls: %v", err)
		}
	}
	return t.roots()
}

// openCA is the local CA, created in --ca-dir on first use.
func (t *trustFlags) openCA(now time.Time) (*localca.CA, error) {
	if t.ca != nil {
		return t.ca, nil
	}
	if t.caDir == "" {
		return nil, errors.New("there is no user configuration directory to keep the local CA in; give one with --ca-dir")
	}
	ca, err := localca.Open(t.caDir, now)
	if err != nil {
		return nil, fmt.Errorf("local CA: %v", err)
	}
	t.ca = ca
	return ca, nil
}

// serverTLS is the TLS configuration of a server listening on addr: a certificate from the
// local CA for 127.0.0.1, ::1, localhost and addr's host.
func (t *trustFlags) serverTLS(addr string, now time.Time) (*tls.Config, *localca.CA, error) {
	ca, err := t.openCA(now)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := ca.ServerConfig(now, localca.LocalHosts(addr)...)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate for %s: %v", addr, err)
	}
	return cfg, ca, nil
}

// transport is the default transport verifying certificates against roots().
func (t *trustFlags) transport() (*http.Transport, error) {
	roots, err := t.roots()
	if err != nil {
		return nil, err
	}
	return localca.Transport(roots), nil
}

// hostOf is the host name of a URL, for the sentences that say whose certificate failed.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	return u.Hostname()
}

// tlsWords is err as a person reads it: a refused certificate or a plain-HTTP server said in
// words (keap.TLSReason), anything else as it is.
func tlsWords(err error) string {
	switch keap.JudgeNoAnswer(err) {
	case keap.NoAnswerNotTLS, keap.NoAnswerCertificate:
		host := ""
		var ue *url.Error
		if errors.As(err, &ue) {
			host = hostOf(ue.URL)
		}
		return "TLS failed: " + keap.TLSReason(err, host)
	}
	return err.Error()
}
