package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
)

// version is stamped by release builds and container images:
// go build -ldflags "-X main.version=v0.2.0" ./cmd/keaphook. Without it, the module version
// from the build info is used: vX.Y.Z after go install ...@vX.Y.Z, "(devel)" in a checkout.
var version string

const versionHelp = `version

Print keaphook's version, the commit it was built from (with "modified" when the checkout
had uncommitted changes) and the Go version. 'keaphook --version' does the same.

Examples:
  keaphook version
  keaphook --version`

func runVersion(_ context.Context, e env, args []string) error {
	fs := newFlagSet("version", versionHelp)
	args, err := fs.parse(e, args)
	if err != nil {
		return err
	}
	if err := noArgs(args); err != nil {
		return err
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprintln(e.stdout, versionLine(version, info))
	return nil
}

// versionLine is "keaphook v0.2.0 (commit 0123456789ab, 2026-12-01T10:00:00Z, go1.26.8)".
func versionLine(stamped string, info *debug.BuildInfo) string {
	v := stamped
	var details []string
	if info != nil {
		if v == "" {
			v = info.Main.Version
		}
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" {
			c := "commit " + rev[:min(12, len(rev))]
			if settings["vcs.modified"] == "true" {
				c += " modified"
			}
			details = append(details, c)
		}
		if t := settings["vcs.time"]; t != "" {
			details = append(details, t)
		}
		details = append(details, info.GoVersion)
	}
	if v == "" {
		v = "(devel)"
	}
	if len(details) == 0 {
		return "keaphook " + v
	}
	return fmt.Sprintf("keaphook %s (%s)", v, strings.Join(details, ", "))
}
