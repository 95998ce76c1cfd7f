package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

const caHelp = `ca path | ca cert [--out DIR] HOST...

keaphook's local certificate authority, kept as mkcert keeps one: created once in --ca-dir
(default: keaphook/ca in your configuration directory) and never replaced, so whatever was
told to trust it keeps working. mock --tls and listen --tls serve certificates it signs, and
every keaphook command trusts it for https:// URLs.

  ca path                 print the CA certificate's path (creating the CA if there is none)
  ca cert --out DIR HOST  write DIR/cert.pem and DIR/key.pem for the host names and IP
                          addresses given, signed by the CA, for your own HTTPS server

Examples:
  keaphook ca path
  curl --cacert "$(keaphook ca path)" https://127.0.0.1:8080/crm/rest/v1/hooks/event_keys -H 'Authorization: Bearer dev'
  NODE_EXTRA_CA_CERTS="$(keaphook ca path)" node app.js
  keaphook ca cert --out ./certs localhost 127.0.0.1`

func runCA(_ context.Context, e env, args []string) error {
	var trust trustFlags
	var out string
	fs := newFlagSet("ca", caHelp)
	trust.define(fs)
	fs.StringVar(&out, "out", ".", "`directory` ca cert writes cert.pem and key.pem to")
	args, err := fs.parse(e, args)
	if err != nil {
		return err
	}
	if err := caArgs(args); err != nil {
		return err
	}
	ca, err := trust.openCA(time.Now())
	if err != nil {
		return fs.usage(err)
	}
	if args[0] == "path" {
		fmt.Fprintln(e.stdout, ca.CertPath())
		return nil
	}
	hosts := args[1:]
	certPath, keyPath, err := ca.WriteLeaf(out, time.Now(), hosts...)
	if err != nil {
		return fs.usage(fmt.Errorf("ca cert: %v", err))
	}
	fmt.Fprintf(e.stdout, "wrote %s and %s for %s, signed by the local CA %s\n",
		certPath, keyPath, strings.Join(hosts, ", "), ca.CertPath())
	return nil
}

// caArgs refuses a ca command line before anything is created.
func caArgs(args []string) error {
	if len(args) == 0 {
		return usagef("say what to do: keaphook ca path, or keaphook ca cert --out DIR HOST...")
	}
	switch what, rest := args[0], args[1:]; {
	case what == "path" && len(rest) > 0:
		return usagef("ca path takes no argument, got %q", rest[0])
	case what == "cert" && len(rest) == 0:
		return usagef("ca cert needs the host names or IP addresses to certify, e.g. keaphook ca cert --out ./certs localhost 127.0.0.1")
	case what != "path" && what != "cert":
		return usagef("unknown ca command %q; use ca path or ca cert", what)
	}
	return nil
}
