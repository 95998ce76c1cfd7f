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
// key is readable by its owner only. Of processes opening one directory at once, one creates
// the CA and all of them get that one; none takes one being created for an incomplete one.
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
	root, err := openDir(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return loadFrom(root, dir, true)
}

// openDir opens the directory dir, so that what is in it is asked of that one directory even
// if another creator renames its own onto the name meanwhile; ErrNoCA when there is none.
func openDir(dir string) (*os.Root, error) {
	root, err := os.OpenRoot(dir)
	switch {
	case err == nil:
		return root, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, ErrNoCA
	}
	if info, statErr := os.Stat(dir); statErr == nil && !info.IsDir() {
		return nil, fmt.Errorf("the CA directory %s is a file, not a directory", dir)
	}
	return nil, fmt.Errorf("cannot open the CA directory: %w", err)
}

// loadFrom reads the CA in root, the directory dir as opened. Which of the two files are
// there is asked of root, not of the name: looking twice at the name could straddle another
// creator's rename and see one file from before it and the other from after. Once both are
// in root, root holds other files and stays at the name (no rename replaces it, no Remove
// takes it), so reading them by name reads root's. Finding one file only, a reader that may
// wait takes the directory's shared lock, which a creator linking the files in one at a time
// holds exclusively until both are there, and looks again: what is still half a CA then was
// left so by a creator that stopped, and is reported, never completed.
func loadFrom(root *os.Root, dir string, mayWait bool) (*CA, error) {
	found := filesIn(root)
	if found == 1 && mayWait {
		if hookHalfSeen != nil {
			hookHalfSeen()
		}
		unlock := lockDir(root, false)
		found = filesIn(root)
		unlock()
	}
	if found == 0 {
		return nil, ErrNoCA
	}
	certPEM, certErr := os.ReadFile(filepath.Join(dir, CertFile))
	keyPEM, keyErr := os.ReadFile(filepath.Join(dir, KeyFile))
	if certErr != nil || keyErr != nil {
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

// filesIn is how many of the CA's two files root holds (a link to a file elsewhere counts:
// it is followed when read).
func filesIn(root *os.Root) int {
	found := 0
	if _, err := root.Lstat(CertFile); err == nil {
		found++
	}
	if hookBetweenLooks != nil {
		hookBetweenLooks()
	}
	if _, err := root.Lstat(KeyFile); err == nil {
		found++
	}
	return found
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

// create makes a new CA in dir. Both files are written to a temporary directory beside it,
// which is then renamed to dir (an empty dir is removed first): of two processes starting at
// once, one rename wins and the other reads the winner's whole CA. Only into a directory
// holding other files, which no rename replaces, are the files linked in one at a time.
func create(dir string, now time.Time) (*CA, error) {
	ca, err := New(now)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(ca.key)
	if err != nil {
		return nil, err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	ca.dir = dir
	placed, err := placeDir(dir, keyPEM, ca.certPEM)
	if err != nil || placed {
		return ca, err
	}
	return placeInto(dir, ca, keyPEM)
}

// placeInto links the key, then the certificate, into dir, a directory holding other files,
// unless a CA is there already. Meanwhile it holds the directory's lock exclusively, so that
// a reader finding the key alone waits for the certificate rather than calling the CA
// incomplete, and another creator waits and then reads this CA. Each file is written whole
// and linked, which fails rather than replaces when the name is taken: where no lock can be
// taken, of two creators one links its key and the other never replaces it; it reads that
// CA, or, looking before the certificate is in, calls it incomplete.
func placeInto(dir string, ca *CA, keyPEM []byte) (*CA, error) {
	root, err := openDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot create the CA in %s: %w", dir, err)
	}
	defer root.Close()
	unlock := lockDir(root, true)
	defer unlock()
	// Not waiting: the lock is this creator's own.
	if existing, err := loadFrom(root, dir, false); !errors.Is(err, ErrNoCA) {
		return existing, err // another process's CA, or what is wrong with the directory
	}
	if err := placeNew(dir, KeyFile, keyPEM, 0o600); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadFrom(root, dir, false)
		}
		return nil, err
	}
	if hookBetweenLinks != nil {
		hookBetweenLinks()
	}
	return ca, placeNew(dir, CertFile, ca.certPEM, 0o644)
}

// placeDir writes the key and the certificate into a new directory and renames it to dir.
// placed is false when dir is a directory holding files, which no rename replaces.
func placeDir(dir string, keyPEM, certPEM []byte) (placed bool, err error) {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return false, fmt.Errorf("the CA directory %s is a file, not a directory", dir)
	}
	// Remove takes only an empty directory; one holding files stays, and is linked into.
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return false, fmt.Errorf("cannot create the CA directory: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".*")
	if err != nil {
		return false, fmt.Errorf("cannot create the CA directory: %w", err)
	}
	defer os.RemoveAll(tmp) // gone after a successful rename; a loser's leftovers otherwise
	if err := errors.Join(writeSynced(filepath.Join(tmp, KeyFile), keyPEM, 0o600),
		writeSynced(filepath.Join(tmp, CertFile), certPEM, 0o644)); err != nil {
		return false, fmt.Errorf("cannot write the CA: %w", err)
	}
	return os.Rename(tmp, dir) == nil, nil
}

// writeSynced writes data to a new file at path and syncs it, so that the rename that shows it
// never shows an empty file after the machine crashes.
func writeSynced(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Sync(), f.Close())
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

// Moments where tests make another process act; nil outside tests.
var (
	hookBetweenLooks func() // filesIn: the certificate looked for, the key not yet
	hookHalfSeen     func() // loadFrom: one file found, before waiting for the lock
	hookBetweenLinks func() // placeInto: the key linked in, the certificate not yet
)
