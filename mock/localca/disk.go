package localca

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Open returns the CA kept in dir, creating it (valid from now) when dir holds none. An
// existing CA is never replaced: every client already told to trust it keeps working. The
// key is readable by its owner only.
func Open(dir string, now time.Time) (*CA, error) {
	ca, err := Load(dir)
	if !errors.Is(err, ErrNoCA) {
		return ca, err
	}
	return create(dir, now)
}

// ErrNoCA is Load's answer for a directory holding neither file of a CA.
var ErrNoCA = errors.New("no CA has been created there yet")

// Load reads the CA kept in dir, never creating one; ErrNoCA when dir holds no CA at all.
func Load(dir string) (*CA, error) {
	certPEM, certErr := os.ReadFile(filepath.Join(dir, CertFile))
	keyPEM, keyErr := os.ReadFile(filepath.Join(dir, KeyFile))
	switch {
	case errors.Is(certErr, fs.ErrNotExist) && errors.Is(keyErr, fs.ErrNotExist):
		return nil, ErrNoCA
	case certErr != nil || keyErr != nil:
		return nil, fmt.Errorf("the CA in %s is incomplete (%w); it is never recreated over what is there: restore %s and %s, or remove both to start a new CA",
			dir, errors.Join(certErr, keyErr), CertFile, KeyFile)
	}
	ca, err := parsePair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("the CA in %s cannot be read: %w", dir, err)
	}
	ca.dir = dir
	return ca, nil
}

func parsePair(certPEM, keyPEM []byte) (*CA, error) {
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || cb.Type != "CERTIFICATE" || kb == nil {
		return nil, fmt.Errorf("%s or %s is not PEM", CertFile, KeyFile)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", KeyFile, err)
	}
	key, ok := parsed.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%s holds a key that cannot sign", KeyFile)
	}
	ca, err := fromDER(cb.Bytes, key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", CertFile, err)
	}
	if !ca.cert.IsCA {
		return nil, fmt.Errorf("%s is not a CA certificate", CertFile)
	}
	return ca, nil
}

// create makes a new CA in dir. Each file is written whole under a temporary name and then
// linked into place, which fails rather than replaces when the name exists: of two
// processes creating a CA at once, one wins and the other reads the winner's.
func create(dir string, now time.Time) (*CA, error) {
	ca, err := New(now)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(ca.key)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the CA directory: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	if err := placeNew(dir, KeyFile, keyPEM, 0o600); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Load(dir)
		}
		return nil, err
	}
	if err := placeNew(dir, CertFile, ca.certPEM, 0o644); err != nil {
		return nil, err
	}
	ca.dir = dir
	return ca, nil
}

// placeNew writes data to dir/name, failing with fs.ErrExist if name is already there.
func placeNew(dir, name string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(dir, "."+name+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	err = errors.Join(err, tmp.Chmod(perm), tmp.Sync(), tmp.Close())
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", name, err)
	}
	return os.Link(tmp.Name(), filepath.Join(dir, name))
}
