//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
)

// imageTestEnv turns the image test on. It builds a container image and runs it, which takes
// a while, so `go test ./...` leaves it out and .ci/run sets it.
const imageTestEnv = "KEAPHOOK_TEST_IMAGE"

const (
	imageVersion = "v0.0.0-imagetest"
	imageUser    = "65532:65532"
)

// TestImage builds the Dockerfile with buildah, with no daemon, and checks the image: its
// configuration, a static keaphook in it that says its version, /data writable by its user;
// then, where this machine can run containers, runs its default command and has a receiver on
// this machine subscribed from outside the container receive a delivery.
//
// The builder cannot pull golang:1.26 here (the machine reaches no image registry), so the
// image is built from the Dockerfile's "prebuilt" stage: the same runtime stage, around a
// binary built with scripts/build, the very script the "build" stage runs. Where the registry
// is reachable, the whole multi-stage build runs as well.
func TestImage(t *testing.T) {
	if os.Getenv(imageTestEnv) != "1" {
		t.Skipf("set %s=1 to build and run the container image (.ci/run does)", imageTestEnv)
	}
	b := newBuildah(t)
	root := repoRoot(t)
	ctxDir := t.TempDir()
	buildShipped(t, filepath.Join(ctxDir, "keaphook"), imageVersion)
	if err := os.Mkdir(filepath.Join(ctxDir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	b.run(t, "bud", "--format", "docker", "--target", "prebuilt", "-f", filepath.Join(root, "Dockerfile"),
		"-t", "localhost/keaphook:test", ctxDir)

	t.Run("configuration", func(t *testing.T) { checkImageConfig(t, b.config(t, "localhost/keaphook:test")) })
	t.Run("files", func(t *testing.T) { checkImageFiles(t, b, "localhost/keaphook:test") })
	t.Run("run", func(t *testing.T) { runImage(t, b, "localhost/keaphook:test") })
	t.Run("multi-stage build", func(t *testing.T) {
		if out, err := b.try("pull", "docker.io/library/golang:1.26"); err != nil {
			t.Skipf("the build stage needs golang:1.26, which this machine cannot pull (%s); "+
				"it runs scripts/build, which built the image above", lastLine(out))
		}
		b.run(t, "bud", "--format", "docker", "--build-arg", "VERSION="+imageVersion, "-t", "localhost/keaphook:source", root)
		checkImageConfig(t, b.config(t, "localhost/keaphook:source"))
		checkImageFiles(t, b, "localhost/keaphook:source")
	})
}

// buildah runs the buildah command line on a private, throwaway store (vfs: no overlay mounts
// needed), removed when the test ends.
type buildah struct{ global []string }

func newBuildah(t *testing.T) buildah {
	t.Helper()
	if _, err := exec.LookPath("buildah"); err != nil {
		t.Fatalf("%s=1 but buildah is not installed (apt-get install -y buildah): %v", imageTestEnv, err)
	}
	dir, err := os.MkdirTemp("", "keaphook-buildah-")
	if err != nil {
		t.Fatal(err)
	}
	b := buildah{global: []string{"--root", filepath.Join(dir, "root"), "--runroot", filepath.Join(dir, "run"), "--storage-driver", "vfs"}}
	t.Cleanup(func() {
		b.try("rm", "--all")
		b.try("rmi", "--all", "--force")
		os.RemoveAll(dir)
	})
	return b
}

func (b buildah) command(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "buildah", append(append([]string(nil), b.global...), args...)...)
}

func (b buildah) try(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out, err := b.command(ctx, args...).CombinedOutput()
	return string(out), err
}

func (b buildah) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := b.try(args...)
	if err != nil {
		t.Fatalf("buildah %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

// imageConfig is the part of a Docker image configuration the image promises.
type imageConfig struct {
	User         string
	Entrypoint   []string
	Cmd          []string
	Env          []string
	ExposedPorts map[string]struct{}
	Volumes      map[string]struct{}
	Healthcheck  *struct{ Test []string }
}

func (b buildah) config(t *testing.T, image string) imageConfig {
	t.Helper()
	var inspected struct {
		Docker struct{ Config imageConfig } `json:"Docker"`
	}
	if err := json.Unmarshal([]byte(b.run(t, "inspect", "--type", "image", image)), &inspected); err != nil {
		t.Fatal(err)
	}
	return inspected.Docker.Config
}

func checkImageConfig(t *testing.T, c imageConfig) {
	t.Helper()
	if c.User != imageUser {
		t.Errorf("USER %q, want %q (not root)", c.User, imageUser)
	}
	if !slices.Equal(c.Entrypoint, []string{"/keaphook"}) || !slices.Equal(c.Cmd, []string{"mock"}) {
		t.Errorf("ENTRYPOINT %q CMD %q, want /keaphook and mock", c.Entrypoint, c.Cmd)
	}
	if !slices.Contains(c.Env, "KEAPHOOK_MOCK_ADDR=0.0.0.0:8080") {
		t.Errorf("ENV %q: the mock should listen on 0.0.0.0:8080 through KEAPHOOK_MOCK_ADDR", c.Env)
	}
	if _, ok := c.ExposedPorts["8080/tcp"]; !ok {
		t.Errorf("EXPOSE %v, want 8080/tcp", c.ExposedPorts)
	}
	if _, ok := c.Volumes["/data"]; !ok {
		t.Errorf("VOLUME %v, want /data", c.Volumes)
	}
	if c.Healthcheck == nil || !slices.Equal(c.Healthcheck.Test, []string{"CMD", "/keaphook", "health"}) {
		t.Errorf("HEALTHCHECK %+v, want CMD /keaphook health", c.Healthcheck)
	}
}

// checkImageFiles mounts the image and checks its files from outside: a static keaphook that
// runs here and says the stamped version, and a /data its user owns.
func checkImageFiles(t *testing.T, b buildah, image string) {
	t.Helper()
	ctr := b.run(t, "from", "--pull-never", image)
	defer b.try("rm", ctr)
	dir := b.run(t, "mount", ctr)
	defer b.try("umount", ctr)

	bin := filepath.Join(dir, "keaphook")
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("/keaphook is not an ELF binary: %v", err)
	}
	defer f.Close()
	libs, _ := f.ImportedLibraries()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("/keaphook is dynamically linked (libraries %q); it must be static for an empty base image", libs)
			break
		}
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), imageVersion) {
		t.Errorf("/keaphook version: %v, %q; want it to run and say %s", err, out, imageVersion)
	}
	st, err := os.Stat(filepath.Join(dir, "data"))
	if err != nil {
		t.Fatalf("/data: %v", err)
	}
	if own := st.Sys().(*syscall.Stat_t); fmt.Sprintf("%d:%d", own.Uid, own.Gid) != imageUser || !st.IsDir() {
		t.Errorf("/data is owned by %d:%d, want a directory of the image's user %s", own.Uid, own.Gid, imageUser)
	}
}

// runImage runs the image's default command (its ENTRYPOINT and CMD, as the configuration
// gives them) with buildah's chroot isolation, which needs no daemon and no runtime and shares
// this machine's network, so the container's 0.0.0.0 is reachable on loopback.
func runImage(t *testing.T, b buildah, image string) {
	ctr := b.run(t, "from", "--pull-never", image)
	t.Cleanup(func() { b.try("rm", ctr) })
	if out, err := b.try("run", "--isolation", "chroot", ctr, "--", "/keaphook", "version"); err != nil {
		t.Skipf("this machine cannot run containers (buildah run --isolation chroot: %v: %s); "+
			"the image was still checked above: configuration, a static binary, its user's /data", err, lastLine(out))
	}
	cfg := b.config(t, image)
	if cfg.Healthcheck == nil || len(cfg.Healthcheck.Test) < 2 {
		t.Fatalf("the image has no HEALTHCHECK command to run: %+v", cfg.Healthcheck)
	}
	// The mock picks its port; the banner says which, and the HEALTHCHECK is given it.
	pid, banner := startInContainer(t, b, ctr, "KEAPHOOK_MOCK_ADDR=0.0.0.0:0", append(cfg.Entrypoint, cfg.Cmd...))
	t.Logf("the container's mock: %s", banner)
	port := bannerPort(t, banner)
	env := "KEAPHOOK_MOCK_ADDR=0.0.0.0:" + port
	if uid := descendantUID(t, pid, "keaphook"); uid != "65532" {
		t.Errorf("the mock in the container runs as uid %s, want 65532", uid)
	}
	// The HEALTHCHECK's own command, in the container, finds the mock through KEAPHOOK_MOCK_ADDR.
	if out, err := b.try(append([]string{"run", "--isolation", "chroot", "--env", env, ctr, "--"}, cfg.Healthcheck.Test[1:]...)...); err != nil {
		t.Errorf("the HEALTHCHECK command %q failed in the container: %v\n%s", cfg.Healthcheck.Test[1:], err, out)
	}
	deliverThroughContainer(t, "localhost:"+port)

	// --data /data: the volume is the image user's to write.
	startInContainer(t, b, ctr, "KEAPHOOK_MOCK_ADDR=127.0.0.1:0", append(cfg.Entrypoint, "mock", "--data", "/data"))
}

// bannerPort is the port in a mock's banner, "... listening on http://127.0.0.1:PORT".
func bannerPort(t *testing.T, banner string) string {
	t.Helper()
	m := regexp.MustCompile(`listening on https?://(\S+)`).FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("no address in the mock's banner %q", banner)
	}
	_, port, err := net.SplitHostPort(m[1])
	if err != nil || port == "0" {
		t.Fatalf("no port in the mock's banner %q: %v", banner, err)
	}
	return port
}

// startInContainer runs argv in the container in the background until the test ends and waits
// for the mock's banner. It returns the pid of buildah, whose descendant the mock is.
func startInContainer(t *testing.T, b buildah, ctr, env string, argv []string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := b.command(ctx, append([]string{"run", "--isolation", "chroot", "--env", env, ctr, "--"}, argv...)...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	line, ok := waitForLine(stdout, "listening on")
	if !ok {
		cancel()
		cmd.Wait()
		t.Fatalf("%q in the container did not start: %s", argv, stderr.String())
	}
	return cmd.Process.Pid, line
}

// deliverThroughContainer subscribes a receiver on this machine to the mock in the container,
// reached at hostPort, makes an event, and waits for the delivery. Its apiUrl must name the
// mock the way this client reached it.
func deliverThroughContainer(t *testing.T, hostPort string) {
	t.Helper()
	got := make(chan keap.Event, 1)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := r.Header.Get(keap.HeaderHookSecret); s != "" {
			w.Header().Set(keap.HeaderHookSecret, s)
			return
		}
		var ev keap.Event
		if err := json.NewDecoder(r.Body).Decode(&ev); err == nil {
			select {
			case got <- ev:
			default:
			}
		}
	}))
	defer receiver.Close()
	base := "http://" + hostPort
	var health mock.Health
	callJSON(t, http.MethodGet, base+mock.HealthPath, "", &health)
	if health.Status != "ok" {
		t.Fatalf("GET %s: %+v", mock.HealthPath, health)
	}
	var hook keap.RestHook
	callJSON(t, http.MethodPost, base+"/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"`+receiver.URL+`"}`, &hook)
	if hook.Status != keap.StatusVerified {
		t.Fatalf("the hook to %s is %s, want Verified: the container could not complete the handshake with this machine", receiver.URL, hook.Status)
	}
	callJSON(t, http.MethodPost, base+"/_mock/events", `{"eventKey":"contact.add","ids":[12]}`, nil)
	select {
	case ev := <-got:
		if len(ev.ObjectKeys) != 1 || ev.ObjectKeys[0].APIURL != base+"/crm/rest/v1/contacts/12" {
			t.Fatalf("delivery %+v, want contact 12 with apiUrl %s/crm/rest/v1/contacts/12", ev, base)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no delivery from the container within 30s (fast timing delivers in milliseconds)")
	}
}

// waitForLine reads r until a line contains want and returns it, or reports false when r
// ends first or a minute passes; the rest of r is drained in the background.
func waitForLine(r io.Reader, want string) (string, bool) {
	lines := make(chan string, 1)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if strings.Contains(sc.Text(), want) {
				lines <- sc.Text()
				io.Copy(io.Discard, r)
				return
			}
		}
	}()
	select {
	case line, ok := <-lines:
		return line, ok
	case <-time.After(time.Minute):
		return "", false
	}
}

// buildShipped builds keaphook with scripts/build, as the image's build stage and the Action do.
func buildShipped(t *testing.T, out, version string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(repoRoot(t), "scripts", "build"), out, version)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/build: %v\n%s", err, b)
	}
}

// descendantUID finds the process called name among pid's descendants and returns its real uid.
func descendantUID(t *testing.T, pid int, name string) string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	parent := map[int]int{}
	status := map[int]map[string]string{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err != nil {
			continue
		}
		fields := map[string]string{}
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok {
				fields[k] = strings.TrimSpace(v)
			}
		}
		status[p] = fields
		parent[p], _ = strconv.Atoi(fields["PPid"])
	}
	for p, fields := range status {
		if fields["Name"] != name {
			continue
		}
		for q := parent[p]; q > 1; q = parent[q] {
			if q == pid {
				return strings.Fields(fields["Uid"])[0]
			}
		}
	}
	t.Fatalf("no process %q under pid %d", name, pid)
	return ""
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
