// Package testserver starts real database and messaging servers (Redis,
// PostgreSQL, MariaDB, Mosquitto) on free loopback ports for tests, each in
// a fresh data folder, and stops them when the test ends.
//
// The servers come from Debian packages that `bash scripts/test.sh`
// installs (redis-server, postgresql, mariadb-server, mosquitto and
// mosquitto-clients). A missing server fails the test with that
// instruction: a test that needs a server never passes without one.
package testserver

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is one running server process.
type Server struct {
	// Addr is host:port on 127.0.0.1.
	Addr string
	// URL is the address a Spin component uses (redis://, postgres://,
	// mysql://, mqtt://), with credentials where the server needs them.
	URL string
	// Dir is the server's data folder.
	Dir string

	t     testing.TB
	name  string
	args  []string
	ready func() error
	mu    sync.Mutex
	cmd   *exec.Cmd
	log   *lockedBuffer
}

// Port is the server's TCP port.
func (s *Server) Port() int {
	_, p, _ := net.SplitHostPort(s.Addr)
	n, _ := strconv.Atoi(p)
	return n
}

// Stop kills the server (SIGKILL: as abrupt as a crash). Stopping a
// stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	s.cmd.Wait()
	s.cmd = nil
}

// Start starts the server again on the same port with the same data, and
// waits until it accepts connections.
func (s *Server) Start() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return
	}
	s.log = new(lockedBuffer)
	cmd := exec.Command(s.args[0], s.args[1:]...)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("testserver: starting %s: %v", s.name, err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := s.ready()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("testserver: %s did not become ready on %s: %v\n%s", s.name, s.Addr, err, s.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lookPath finds a server program, failing the test with how to install it.
func lookPath(t testing.TB, pkg string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if strings.Contains(n, "*") {
			if m, _ := filepath.Glob(n); len(m) > 0 {
				sort.Strings(m)
				return m[len(m)-1]
			}
			continue
		}
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
		for _, dir := range []string{"/usr/sbin", "/usr/bin"} {
			if p := filepath.Join(dir, n); fileExists(p) {
				return p
			}
		}
	}
	t.Fatalf("testserver: %s is not installed; `bash scripts/test.sh` installs it (apt-get install %s)", names[0], pkg)
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// freePort asks the kernel for a free loopback port.
func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// dataDir makes a data folder that a server running as owner can use.
func dataDir(t testing.TB, prefix, owner string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "spin-go-"+prefix+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if owner != "" {
		u, err := user.Lookup(owner)
		if err != nil {
			t.Fatalf("testserver: user %s: %v", owner, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func start(t testing.TB, s *Server) *Server {
	t.Helper()
	s.t = t
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

func dialable(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	return c.Close()
}

func run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", name, err, out)
	}
	return nil
}

// Redis starts redis-server without persistence.
func Redis(t testing.TB) *Server {
	t.Helper()
	bin := lookPath(t, "redis-server", "redis-server")
	cli := lookPath(t, "redis-server", "redis-cli")
	port := freePort(t)
	dir := dataDir(t, "redis", "")
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	return start(t, &Server{
		Addr: addr, URL: "redis://" + addr, Dir: dir, name: "redis-server",
		args: []string{bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir},
		ready: func() error {
			return run(cli, "-h", "127.0.0.1", "-p", strconv.Itoa(port), "ping")
		},
	})
}

// asUser prefixes a command so it runs as user when we are root (initdb
// and postgres refuse to run as root).
func asUser(name string, args ...string) []string {
	if os.Geteuid() != 0 {
		return args
	}
	return append([]string{"runuser", "-u", name, "--"}, args...)
}

// Postgres starts a PostgreSQL server whose user "spin" (trust
// authentication on loopback) owns the database "spin".
func Postgres(t testing.TB) *Server {
	t.Helper()
	initdb := lookPath(t, "postgresql", "/usr/lib/postgresql/*/bin/initdb", "initdb")
	bin := filepath.Join(filepath.Dir(initdb), "postgres")
	isready := filepath.Join(filepath.Dir(initdb), "pg_isready")
	port := freePort(t)
	dir := dataDir(t, "postgres", map[bool]string{true: "postgres"}[os.Geteuid() == 0])
	data := filepath.Join(dir, "data")
	init := asUser("postgres", initdb, "-D", data, "-U", "spin", "--auth=trust", "-E", "UTF8", "--no-sync")
	if err := run(init[0], init[1:]...); err != nil {
		t.Fatalf("testserver: initdb: %v", err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	created := false
	return start(t, &Server{
		Addr: addr, URL: fmt.Sprintf("postgres://spin:spin@%s/spin", addr), Dir: dir, name: "postgres",
		args: asUser("postgres", bin, "-D", data, "-p", strconv.Itoa(port), "-c", "listen_addresses=127.0.0.1",
			"-k", data, "-c", "fsync=off", "-c", "full_page_writes=off"),
		ready: func() error {
			if err := run(isready, "-q", "-h", "127.0.0.1", "-p", strconv.Itoa(port)); err != nil {
				return err
			}
			if !created {
				if err := run(filepath.Join(filepath.Dir(initdb), "createdb"), "-h", "127.0.0.1", "-p", strconv.Itoa(port), "-U", "spin", "spin"); err != nil {
					return err
				}
				created = true
			}
			return nil
		},
	})
}

// MySQL starts a MariaDB server with user "spin" (password "spin") and
// database "spin".
func MySQL(t testing.TB) *Server {
	t.Helper()
	install := lookPath(t, "mariadb-server", "mariadb-install-db", "mysql_install_db")
	bin := lookPath(t, "mariadb-server", "mariadbd", "mysqld")
	client := lookPath(t, "mariadb-client", "mariadb", "mysql")
	port := freePort(t)
	dir := dataDir(t, "mariadb", "")
	data := filepath.Join(dir, "data")
	sock := filepath.Join(dir, "sock")
	if err := run(install, "--no-defaults", "--datadir="+data, "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db"); err != nil {
		t.Fatalf("testserver: mariadb-install-db: %v", err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	created := false
	return start(t, &Server{
		Addr: addr, URL: fmt.Sprintf("mysql://spin:spin@%s/spin", addr), Dir: dir, name: "mariadbd",
		args: []string{bin, "--no-defaults", "--datadir=" + data, "--port=" + strconv.Itoa(port), "--bind-address=127.0.0.1",
			"--socket=" + sock, "--user=root", "--skip-log-bin", "--innodb-buffer-pool-size=16M", "--innodb-flush-log-at-trx-commit=0"},
		ready: func() error {
			if err := dialable(addr); err != nil {
				return err
			}
			if !created {
				if err := run(client, "--no-defaults", "-uroot", "--socket="+sock, "-e",
					"CREATE USER 'spin'@'%' IDENTIFIED BY 'spin'; GRANT ALL ON *.* TO 'spin'@'%'; CREATE DATABASE spin;"); err != nil {
					return err
				}
				created = true
			}
			return nil
		},
	})
}

// Mosquitto starts an MQTT broker that allows anonymous clients.
func Mosquitto(t testing.TB) *Server {
	t.Helper()
	bin := lookPath(t, "mosquitto", "mosquitto")
	port := freePort(t)
	dir := dataDir(t, "mosquitto", "")
	conf := filepath.Join(dir, "mosquitto.conf")
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n", port)
	if os.Geteuid() == 0 {
		cfg.WriteString("user root\n")
	}
	if err := os.WriteFile(conf, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	return start(t, &Server{
		Addr: addr, URL: "mqtt://" + addr, Dir: dir, name: "mosquitto",
		args:  []string{bin, "-c", conf},
		ready: func() error { return dialable(addr) },
	})
}

// Subscribe runs mosquitto_sub on topic, waits until the broker
// acknowledged the subscription, and returns a function that waits for
// count messages (each as "topic payload") or the timeout.
func Subscribe(t testing.TB, s *Server, topic string, count int) func(timeout time.Duration) ([]string, error) {
	t.Helper()
	bin := lookPath(t, "mosquitto-clients", "mosquitto_sub")
	out := new(lockedBuffer)
	// stdbuf: mosquitto_sub's stdout is block-buffered on a pipe, and the
	// SUBACK line must arrive now.
	cmd := exec.Command("stdbuf", "-oL", bin, "-d", "-h", "127.0.0.1", "-p", strconv.Itoa(s.Port()), "-t", topic, "-v", "-C", strconv.Itoa(count), "-q", "1")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "received SUBACK"); {
		if time.Now().After(deadline) {
			t.Fatalf("testserver: mosquitto_sub did not subscribe to %s: %s", topic, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	messages := func() []string {
		var lines []string
		for _, l := range strings.Split(out.String(), "\n") {
			// -d adds protocol lines ("Client ... received SUBACK",
			// "Subscribed (mid: 1): 1").
			if l != "" && !strings.HasPrefix(l, "Client ") && !strings.HasPrefix(l, "Subscribed (mid") {
				lines = append(lines, l)
			}
		}
		return lines
	}
	return func(timeout time.Duration) ([]string, error) {
		select {
		case err := <-done:
			if err != nil {
				return messages(), fmt.Errorf("mosquitto_sub: %v: %s", err, out.String())
			}
			return messages(), nil
		case <-time.After(timeout):
			cmd.Process.Kill()
			return messages(), fmt.Errorf("mosquitto_sub: not %d message(s) on %s within %v", count, topic, timeout)
		}
	}
}

// lockedBuffer is a bytes.Buffer a process may write while a test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
