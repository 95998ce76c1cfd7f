package main

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/keaphook/keaphook/mock/signature"
)

// senderPresets are the senders the mock can imitate, each a set of flag values. A preset
// fills in only the flags not given on the command line or in the environment, so an
// explicit flag always wins over it.
var senderPresets = map[string]map[string]string{
	// keap: Keap itself, which is every flag's default.
	"keap": {},
	// hwr: the signing sender of ../shared/seeds/002: HTTPS only, hex HMAC-SHA256 of the body
	// in X-HWR-SIGNATURE, an attempt at most every 15 minutes, 10 attempts, only 200 succeeds.
	"hwr": {
		"require-https":    "true",
		"sign":             "hmac-hex",
		"signature-header": "X-HWR-SIGNATURE",
		"retry-schedule":   "15m",
		"max-attempts":     "10",
		"success":          "200",
	},
}

// senderNames lists the presets for help and errors: "hwr, keap".
func senderNames() string { return strings.Join(slices.Sorted(maps.Keys(senderPresets)), ", ") }

// applySender sets every flag of the named preset that fs has not set yet. Call it after
// parsing, once the command line and the environment have had their say; requireSenderSecret
// then checks that a signing preset has its secret.
func applySender(fs *flag.FlagSet, name string) error {
	preset, ok := senderPresets[name]
	if !ok {
		return fmt.Errorf("--sender %q: want one of %s", name, senderNames())
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, flagName := range slices.Sorted(maps.Keys(preset)) {
		if given[flagName] {
			continue
		}
		if err := fs.Set(flagName, preset[flagName]); err != nil {
			return fmt.Errorf("--sender %s sets --%s: %v", name, flagName, err)
		}
	}
	return nil
}

// requireSenderSecret refuses a signing preset run without a secret. Its sentence names the
// scheme and the header in force, which flags given with the preset may have changed; a
// --sign none given with it signs nothing and needs no secret.
func requireSenderSecret(name string, s signingFlags) error {
	if senderPresets[name]["sign"] == "" || len(s.secrets) > 0 {
		return nil
	}
	header := signature.Config{Scheme: signature.Scheme(s.sign), Header: s.header}.SignatureHeader()
	if header == "" { // --sign none given with the preset: nothing to sign
		return nil
	}
	return fmt.Errorf("--sender %s signs every delivery (%s in %s): give the secret your receiver checks with --signing-secret",
		name, s.sign, header)
}
