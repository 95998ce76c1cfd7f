//go:build !windows

package main

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/keaphook/keaphook/mock/testkit"
)

// The GitHub Action (action.yml at the repository root), run the way GitHub runs a composite
// action: each `run` step through bash with its env, ${{ }} expressions filled in, and
// GITHUB_PATH/GITHUB_OUTPUT honoured. Only `uses` steps are left out (actions/setup-go: this
// machine has Go already). The install step builds keaphook from this checkout, as it builds
// it from the action's checkout on GitHub, so every case runs the shipped steps end to end.
func TestAction(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatalf("the action's run step needs curl: %v", err)
	}
	action := readAction(t)
	installed := action.runner(t, map[string]string{"url": "http://127.0.0.1:1/unused"})
	installed.runSteps(t, func(s actionStep) bool { return s.ID == "install" })
	if !strings.Contains(installed.stdout.String(), "v0.0.0-actiontest") {
		t.Fatalf("the install step should print the version it built (the action's ref):\n%s", installed.stdout.String())
	}

	t.Run("passes a ready app", func(t *testing.T) {
		t.Parallel()
		mockAddr, appAddr := freeAddr(t), freeAddr(t)
		appDir := t.TempDir()
		r := action.runner(t, map[string]string{
			"url":               "http://" + appAddr + "/hooks",
			"app-command":       `echo "$KEAP_API_URL" > keap-api-url && exec keaphook listen --addr ` + appAddr + ` --record deliveries.jsonl`,
			"working-directory": appDir,
			"mock-addr":         mockAddr,
		})
		r.path = installed.path
		if err := r.runSteps(t, isCheckStep); err != nil {
			t.Fatalf("the action failed on an app that passes every check: %v\n%s", err, r.output())
		}
		junit := r.junit(t)
		if junit.Tests == 0 || junit.Failures != 0 {
			t.Fatalf("JUnit report: %d tests, %d failures; want every check run and none failed", junit.Tests, junit.Failures)
		}
		mockURL := "http://" + mockAddr
		if got := r.outputs(t)["mock-url"]; got != mockURL {
			t.Errorf("output mock-url = %q, want %q", got, mockURL)
		}
		if got := readTrimmed(t, filepath.Join(appDir, "keap-api-url")); got != mockURL+"/crm/rest" {
			t.Errorf("the app got KEAP_API_URL=%q, want the mock's API base %q", got, mockURL+"/crm/rest")
		}
		if rec := readTrimmed(t, filepath.Join(appDir, "deliveries.jsonl")); !strings.Contains(rec, mockURL+"/crm/rest/v1/contacts/") {
			t.Errorf("the app's deliveries should carry apiUrls on the mock (%s); recorded:\n%.600s", mockURL, rec)
		}
		assertStopped(t, mockAddr, appAddr)
	})

	t.Run("fails the job on a failed check", func(t *testing.T) {
		t.Parallel()
		mockAddr := freeAddr(t)
		// The mock's health endpoint answers 200 but never echoes X-Hook-Secret.
		r := action.runner(t, map[string]string{"url": "http://" + mockAddr + "/_mock/health", "mock-addr": mockAddr})
		r.path = installed.path
		err := r.runSteps(t, isCheckStep)
		if code := exitCode(err); code != exitFailure {
			t.Fatalf("exit code %d (%v), want %d for a failed check\n%s", code, err, exitFailure, r.output())
		}
		if junit := r.junit(t); junit.Failures == 0 {
			t.Errorf("the JUnit report shows no failure for an endpoint that echoes no secret")
		}
		if !strings.Contains(r.stdout.String(), "::error::keaphook check:") {
			t.Errorf("no ::error:: annotation in the output:\n%s", r.output())
		}
		assertStopped(t, mockAddr)
	})

	t.Run("stops waiting when the mock exits", func(t *testing.T) {
		t.Parallel()
		// The mock refuses its flags and never listens: its health probe must find nothing there.
		mockAddr := testkit.RefusedAddr(t)
		// A wait of ten minutes: only the mock's exit can end this run in the test's time.
		r := action.runner(t, map[string]string{"url": "http://127.0.0.1:1/", "mock-addr": mockAddr,
			"mock-args": "--timing sometimes", "wait-seconds": "600"})
		r.path = installed.path
		err := r.runSteps(t, isCheckStep)
		out := r.output()
		if exitCode(err) != exitFailure || !strings.Contains(out, "mock exited before it was ready") ||
			!strings.Contains(out, "--timing") {
			t.Fatalf("want exit 1 saying the mock exited, with the mock's own complaint about --timing; got %v:\n%s", err, out)
		}
	})
}

func isCheckStep(s actionStep) bool { return s.ID == "check" }

// actionFile is the part of action.yml the test runs.
type actionFile struct {
	Inputs map[string]struct {
		Default  string `yaml:"default"`
		Required bool   `yaml:"required"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID    string            `yaml:"id"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
}

func readAction(t *testing.T) actionFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using = %q, want composite", a.Runs.Using)
	}
	for _, s := range a.Runs.Steps {
		if s.Uses != "" && !strings.HasPrefix(s.Uses, "actions/setup-go@") {
			t.Fatalf("action.yml uses %s, which this test does not know how to stand in for", s.Uses)
		}
	}
	return a
}

// actionRunner runs steps of the action with one set of inputs, as one job would.
type actionRunner struct {
	action   actionFile
	inputs   map[string]string
	temp     string // RUNNER_TEMP
	path     []string
	outFile  string // GITHUB_OUTPUT
	pathFile string // GITHUB_PATH
	stdout   strings.Builder
}

func (a actionFile) runner(t *testing.T, inputs map[string]string) *actionRunner {
	t.Helper()
	r := &actionRunner{action: a, inputs: map[string]string{}, temp: t.TempDir()}
	for name, in := range a.Inputs {
		r.inputs[name] = in.Default
	}
	for name, v := range inputs {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("action.yml has no input %q", name)
		}
		r.inputs[name] = v
	}
	for name, in := range a.Inputs {
		if in.Required && r.inputs[name] == "" {
			t.Fatalf("input %q is required", name)
		}
	}
	if r.inputs["junit"] != "" && !filepath.IsAbs(r.inputs["junit"]) {
		r.inputs["junit"] = filepath.Join(r.temp, r.inputs["junit"])
	}
	r.outFile, r.pathFile = filepath.Join(r.temp, "github_output"), filepath.Join(r.temp, "github_path")
	return r
}

// runSteps runs the action's run steps that pick chooses, in order, stopping at the first
// that fails, as GitHub does.
func (r *actionRunner) runSteps(t *testing.T, pick func(actionStep) bool) error {
	t.Helper()
	for _, s := range r.action.Runs.Steps {
		if s.Uses != "" || !pick(s) {
			continue
		}
		if s.Shell != "bash" {
			t.Fatalf("step %s runs in %q; the action's steps are bash so they run on every runner", s.ID, s.Shell)
		}
		if err := r.runStep(t, s); err != nil {
			return err
		}
	}
	return nil
}

func (r *actionRunner) runStep(t *testing.T, s actionStep) error {
	t.Helper()
	script := filepath.Join(r.temp, "step-"+s.ID+".sh")
	if err := os.WriteFile(script, []byte(r.expand(t, s.Run)), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// GitHub's own command line for `shell: bash`.
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir = r.temp
	cmd.Env = append(os.Environ(),
		"GITHUB_ACTION_PATH="+repoRoot(t), "RUNNER_TEMP="+r.temp, "RUNNER_OS=Linux",
		"GITHUB_OUTPUT="+r.outFile, "GITHUB_PATH="+r.pathFile,
		"PATH="+strings.Join(append(append([]string(nil), r.path...), os.Getenv("PATH")), string(os.PathListSeparator)))
	for k, v := range s.Env {
		cmd.Env = append(cmd.Env, k+"="+r.expand(t, v))
	}
	cmd.Stdout, cmd.Stderr = &r.stdout, &r.stdout
	err := cmd.Run()
	r.path = append(readLines(t, r.pathFile), r.path...)
	return err
}

var expression = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// expand fills in the ${{ }} expressions the action uses; any other is a test failure, so a
// new expression in action.yml cannot slip through untested.
func (r *actionRunner) expand(t *testing.T, s string) string {
	t.Helper()
	return expression.ReplaceAllStringFunc(s, func(m string) string {
		expr := expression.FindStringSubmatch(m)[1]
		if name, ok := strings.CutPrefix(expr, "inputs."); ok {
			v, ok := r.inputs[name]
			if !ok {
				t.Fatalf("action.yml refers to an undeclared input in %s", m)
			}
			return v
		}
		switch expr {
		case "github.action_path":
			return repoRoot(t)
		case "github.action_ref":
			return "v0.0.0-actiontest"
		}
		t.Fatalf("action.yml uses %s, which this test does not fill in", m)
		return ""
	})
}

func (r *actionRunner) output() string { return r.stdout.String() }

func (r *actionRunner) outputs(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, line := range readLines(t, r.outFile) {
		if k, v, ok := strings.Cut(line, "="); ok {
			out[k] = v
		}
	}
	return out
}

type junitSummary struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
}

// junit reads the report the action wrote, at the path its junit output names.
func (r *actionRunner) junit(t *testing.T) junitSummary {
	t.Helper()
	path := r.outputs(t)["junit"]
	if path != r.inputs["junit"] {
		t.Fatalf("output junit = %q, want the junit input %q", path, r.inputs["junit"])
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the JUnit report: %v", err)
	}
	var s junitSummary
	if err := xml.Unmarshal(b, &s); err != nil {
		t.Fatalf("the JUnit report is not XML: %v\n%s", err, b)
	}
	return s
}

// assertStopped fails unless nothing listens on addrs any more: the action stops what it starts.
func assertStopped(t *testing.T, addrs ...string) {
	t.Helper()
	for _, addr := range addrs {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			t.Errorf("something still listens on %s after the action ended", addr)
		}
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

func readTrimmed(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// repoRoot is the repository's root: two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(fmt.Errorf("repository root not found: %w", err))
	}
	return root
}
