package localca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Leaf is a server certificate and its key, in PEM.
type Leaf struct {
	CertPEM []byte
	KeyPEM  []byte
}

// Validity is when a leaf is valid. Tests ask for expired or not-yet-valid ones with it.
type Validity struct {
	NotBefore, NotAfter time.Time
}

// ValidFrom is the usual validity of a leaf issued at now: from an hour before (forgiving a
// clock that is a little behind) for LeafLifetime.
func ValidFrom(now time.Time) Validity {
	return Validity{NotBefore: now.Add(-time.Hour), NotAfter: now.Add(LeafLifetime)}
}

// Issue signs a server certificate for hosts: names, IP addresses, or wildcards such as
// *.example.test.
func (ca *CA) Issue(v Validity, hosts ...string) (Leaf, error) {
	tmpl, err := leafTemplate(v, hosts)
	if err != nil {
		return Leaf{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Leaf{}, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		return Leaf{}, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return Leaf{}, err
	}
	return Leaf{
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}, nil
}

func leafTemplate(v Validity, hosts []string) (*x509.Certificate, error) {
	if len(hosts) == 0 {
		return nil, errors.New("a certificate needs at least one host name or IP address")
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: []string{"keaphook local certificate"}, CommonName: hosts[0]},
		NotBefore:    v.NotBefore,
		NotAfter:     v.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if err := addHost(tmpl, h); err != nil {
			return nil, err
		}
	}
	return tmpl, nil
}

// addHost puts h in the certificate as an IP address or a DNS name.
func addHost(tmpl *x509.Certificate, h string) error {
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	if ip := net.ParseIP(h); ip != nil {
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		return nil
	}
	if !validHostName(h) {
		return fmt.Errorf("%q is neither a host name nor an IP address", h)
	}
	tmpl.DNSNames = append(tmpl.DNSNames, strings.ToLower(h))
	return nil
}

// validHostName accepts letters, digits, hyphens and underscores in dot-separated labels,
// the first of which may be "*".
func validHostName(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for i, label := range strings.Split(h, ".") {
		if label == "*" && i == 0 {
			continue
		}
		if label == "" || len(label) > 63 || strings.Trim(label, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
			return false
		}
	}
	return true
}

// TLSCertificate is the leaf as crypto/tls serves it.
func (l Leaf) TLSCertificate() (tls.Certificate, error) {
	return tls.X509KeyPair(l.CertPEM, l.KeyPEM)
}

// ServerConfig is a TLS configuration serving a leaf for hosts, valid from now, at TLS 1.2
// or newer.
func (ca *CA) ServerConfig(now time.Time, hosts ...string) (*tls.Config, error) {
	leaf, err := ca.Issue(ValidFrom(now), hosts...)
	if err != nil {
		return nil, err
	}
	cert, err := leaf.TLSCertificate()
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// WriteLeaf issues a leaf for hosts, valid from now, and writes it to dir as cert.pem and
// key.pem (the key readable by its owner only). It returns the two paths.
func (ca *CA) WriteLeaf(dir string, now time.Time, hosts ...string) (certPath, keyPath string, err error) {
	leaf, err := ca.Issue(ValidFrom(now), hosts...)
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := writePrivate(keyPath, leaf.KeyPEM); err != nil {
		return "", "", err
	}
	return certPath, keyPath, os.WriteFile(certPath, leaf.CertPEM, 0o644)
}

// writePrivate writes data to path readable by its owner only. A file that is there keeps
// its mode through os.WriteFile, so the mode is set before the key goes in: the new key is
// never readable by others, not even for a moment.
func writePrivate(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}
