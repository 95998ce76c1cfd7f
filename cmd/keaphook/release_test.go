package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// goreleaserConfig is the part of .goreleaser.yaml that decides what is released.
type goreleaserConfig struct {
	Builds []struct {
		Main    string   `yaml:"main"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
	} `yaml:"builds"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
}

func readGoreleaser(t *testing.T) goreleaserConfig {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if len(c.Builds) != 1 {
		t.Fatalf(".goreleaser.yaml has %d builds, want the one of ./cmd/keaphook", len(c.Builds))
	}
	return c
}

// .ci/run cross-compiles exactly the platforms a release ships, so a platform that breaks is
// seen on the change that broke it, not at release time.
func TestCICrossCompilesEveryReleaseTarget(t *testing.T) {
	t.Parallel()
	build := readGoreleaser(t).Builds[0]
	var released []string
	for _, goos := range build.Goos {
		for _, goarch := range build.Goarch {
			released = append(released, goos+"/"+goarch)
		}
	}
	for _, want := range []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"} {
		if !slices.Contains(released, want) {
			t.Errorf(".goreleaser.yaml does not release %s", want)
		}
	}
	ci, err := os.ReadFile(filepath.Join(repoRoot(t), ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^release_targets="([^"]*)"`).FindSubmatch(ci)
	if m == nil {
		t.Fatal(`.ci/run has no release_targets="..." line to cross-compile`)
	}
	crossBuilt := strings.Fields(string(m[1]))
	slices.Sort(released)
	slices.Sort(crossBuilt)
	if !slices.Equal(released, crossBuilt) {
		t.Errorf(".ci/run cross-compiles %q but .goreleaser.yaml releases %q", crossBuilt, released)
	}
}

// A release archive's keaphook is built like the image's and the Action's (scripts/build):
// static, without local paths, with its version stamped into the same variable.
func TestReleaseBuildsLikeScriptsBuild(t *testing.T) {
	t.Parallel()
	c := readGoreleaser(t)
	build := c.Builds[0]
	script, err := os.ReadFile(filepath.Join(repoRoot(t), "scripts", "build"))
	if err != nil {
		t.Fatal(err)
	}
	stamp := regexp.MustCompile(`-X ([\w./-]+)=`)
	want := stamp.FindSubmatch(script)
	got := stamp.FindStringSubmatch(strings.Join(build.Ldflags, " "))
	if want == nil || got == nil || got[1] != string(want[1]) {
		t.Errorf(".goreleaser.yaml ldflags %q stamp %v; scripts/build stamps %s", build.Ldflags, got, want)
	}
	if build.Main != "./cmd/keaphook" || !slices.Contains(build.Env, "CGO_ENABLED=0") || !slices.Contains(build.Flags, "-trimpath") {
		t.Errorf(".goreleaser.yaml build %+v: want ./cmd/keaphook with CGO_ENABLED=0 and -trimpath", build)
	}
	if c.Checksum.NameTemplate == "" {
		t.Error(".goreleaser.yaml writes no checksums file")
	}
}
