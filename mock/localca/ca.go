// Package localca is a local certificate authority, as mkcert keeps one: a CA created once
// in a directory and never overwritten, which signs certificates for local hosts so that
// HTTPS can be tried on this machine with every client trusting that one CA file.
// It imports no other package of this project.
package localca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// File names inside a CA directory.
const (
	CertFile = "rootCA.pem"
	KeyFile  = "rootCA-key.pem"
)

// Lifetimes of what the CA signs. A leaf stays under 825 days, the most some platforms
// (Apple's) accept for a server certificate.
const (
	CALifetime   = 10 * 365 * 24 * time.Hour
	LeafLifetime = 800 * 24 * time.Hour
)

// CA is a certificate authority: its certificate, its key and, when it lives on disk, its
// directory.
type CA struct {
	cert    *x509.Certificate
	certPEM []byte
	key     crypto.Signer
	dir     string
}

// DefaultDir is where the CA lives unless told otherwise: keaphook/ca under the user's
// configuration directory (~/.config on Linux).
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no user configuration directory to keep the CA in (%w); choose a directory for it", err)
	}
	return filepath.Join(base, "keaphook", "ca"), nil
}

// New makes a CA that lives only in memory, valid from now: for tests, and for servers that
// need a certificate no one else has to trust.
func New(now time.Time) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"keaphook local CA"}, CommonName: "keaphook local CA " + serial.Text(16)[:8]},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(CALifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return fromDER(der, key)
}

func fromDER(der []byte, key crypto.Signer) (*CA, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{cert: cert, key: key, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

// Certificate is the CA's certificate.
func (ca *CA) Certificate() *x509.Certificate { return ca.cert }

// CertPEM is the CA's certificate in PEM, what a client is told to trust.
func (ca *CA) CertPEM() []byte { return append([]byte(nil), ca.certPEM...) }

// CertPath is the file holding the CA's certificate; "" for a CA made by New.
func (ca *CA) CertPath() string {
	if ca.dir == "" {
		return ""
	}
	return filepath.Join(ca.dir, CertFile)
}

// Pool is a certificate pool holding only this CA.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

func randomSerial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
}

// errNoCertificate is returned by Roots for a PEM input that holds no certificate.
var errNoCertificate = errors.New("no PEM certificate in it")
