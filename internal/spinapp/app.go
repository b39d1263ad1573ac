package spinapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spin-go/sdk/internal/build"
)

// BuildOptions change how Build builds the components.
type BuildOptions struct {
	// WitPaths, Worlds and Features, when given, replace those of every
	// component's build command; empty keeps the command's (and, where
	// it names none, the componentize-go.toml files').
	WitPaths    []string
	Worlds      []string
	Features    []string
	AllFeatures bool
	// Stderr receives the builds' output (go build, the backend). When
	// nil, the output of a failed build is part of its error.
	Stderr io.Writer
	// OnBuild, when set, is called before each component is built.
	OnBuild func(c *Component)
}

// Build builds every component that has a [component.<id>.build], in ID
// order, by its build command, as `spin build` would. A command that runs
// componentize-go's build (the usual `go tool componentize-go build …`) is
// done in-process with the command's flags (-w, -d, --features, --debug,
// …), into the component's source path; any other command runs with sh in
// the build's workdir. WitPaths, Worlds and Features in o, when given,
// replace the command's.
func Build(ctx context.Context, m *Manifest, o BuildOptions) error {
	for _, id := range m.ComponentIDs() {
		c := m.Components[id]
		if c.BuildDir == "" {
			continue
		}
		if o.OnBuild != nil {
			o.OnBuild(c)
		}
		var log bytes.Buffer
		stderr := o.Stderr
		if stderr == nil {
			stderr = &log
		}
		if err := buildComponent(ctx, m, c, o, stderr); err != nil {
			if log.Len() > 0 {
				return fmt.Errorf("building component %s: %v\n%s", id, err, log.String())
			}
			return fmt.Errorf("building component %s: %v", id, err)
		}
	}
	return nil
}

// buildComponent runs one component's build command.
func buildComponent(ctx context.Context, m *Manifest, c *Component, o BuildOptions, stderr io.Writer) error {
	opts, run, err := componentOptions(m, c, o)
	if err != nil {
		return err
	}
	if run {
		sh := exec.CommandContext(ctx, "sh", "-c", c.BuildCommand)
		sh.Dir, sh.Stdout, sh.Stderr = c.BuildDir, stderr, stderr
		if err := sh.Run(); err != nil {
			return fmt.Errorf("%s: the build command %q in %s failed: %v", m.Path, c.BuildCommand, c.BuildDir, err)
		}
		if _, err := os.Stat(c.Source); err != nil {
			return fmt.Errorf("%s: the build command %q did not write the component's source %s", m.Path, c.BuildCommand, c.Source)
		}
		return nil
	}
	opts.Stderr = stderr
	_, err = build.Build(ctx, opts)
	return err
}

// componentOptions says how to build a component: with these options, or,
// when run is true, by running its build command with a shell.
func componentOptions(m *Manifest, c *Component, o BuildOptions) (opts build.Options, run bool, err error) {
	if strings.TrimSpace(c.BuildCommand) != "" {
		cmd, err := build.ParseCommand(c.BuildCommand)
		if err != nil {
			return opts, false, fmt.Errorf("%s: component %s: %v", m.Path, c.ID, err)
		}
		if cmd == nil {
			return opts, true, nil
		}
		opts = cmd.Options
		opts.Dir = abs(c.BuildDir, opts.Dir)
		// Spin serves source, whatever the command writes: a command that
		// writes elsewhere would leave Spin a stale or missing file.
		if out := abs(opts.Dir, opts.Output); cmd.OutputSet && out != c.Source {
			return opts, false, fmt.Errorf("%s: component %s: the build command writes %s, but the component's source is %s", m.Path, c.ID, out, c.Source)
		}
	} else {
		opts.Dir = c.BuildDir
	}
	opts.Output = c.Source
	if len(o.WitPaths) > 0 {
		opts.WitPaths = o.WitPaths
	}
	if len(o.Worlds) > 0 {
		opts.Worlds = o.Worlds
	}
	if len(o.Features) > 0 || o.AllFeatures {
		opts.Features, opts.AllFeatures = o.Features, o.AllFeatures
	}
	// A route with the Wagi executor needs a Wagi module, --wagi or not.
	opts.Wagi = opts.Wagi || c.Wagi
	return opts, false, nil
}

// HostOptions say where and how the host serves an application.
type HostOptions struct {
	// Listen is the address to serve HTTP on, e.g. 127.0.0.1:3000.
	Listen string
	// StateDir holds the key-value stores (sqlite_key_value.db) and the
	// SQLite databases; reuse it to keep data across runs.
	StateDir string
	// TLSCert and TLSKey serve HTTPS; when empty, SPIN_TLS_CERT and
	// SPIN_TLS_KEY are used, as Spin does.
	TLSCert, TLSKey string
	// MaxInstanceReuseCount and MaxInstanceConcurrentReuseCount are spin
	// up's flags of those names: how many requests one WASI 0.3 instance
	// serves, in all and at once. Zero means Spin's defaults, 128 and 16.
	// (WASI 0.2 instances serve one request each, as in Spin.)
	MaxInstanceReuseCount, MaxInstanceConcurrentReuseCount int
}

// HostConfig is the configuration `host.mjs app --config FILE` reads.
type HostConfig struct {
	Listen        string                   `json:"listen"`
	Base          string                   `json:"base"`
	KeyValueFile  string                   `json:"key_value_file"`
	SQLiteDir     string                   `json:"sqlite_dir"`
	Variables     map[string]Variable      `json:"variables"`
	Routes        []HostRoute              `json:"routes"`
	RedisAddress  string                   `json:"redis_address"`
	RedisTriggers []RedisTrigger           `json:"redis_triggers"`
	Components    map[string]HostComponent `json:"components"`
	TLS           *HostTLS                 `json:"tls,omitempty"`
	InstanceReuse HostReuse                `json:"instance_reuse"`
}

// HostReuse overrides Spin's instance reuse defaults; zero keeps one.
type HostReuse struct {
	Reuse      int `json:"reuse,omitempty"`
	Concurrent int `json:"concurrent,omitempty"`
}

// HostRoute is one HTTP route of HostConfig.
type HostRoute struct {
	Route     string `json:"route"`
	Component string `json:"component"`
	Executor  string `json:"executor,omitempty"`
}

// HostComponent is one component of HostConfig.
type HostComponent struct {
	Source               string            `json:"source"`
	AllowedOutboundHosts []string          `json:"allowed_outbound_hosts"`
	Environment          map[string]string `json:"environment"`
	KeyValueStores       []string          `json:"key_value_stores"`
	SQLiteDatabases      []string          `json:"sqlite_databases"`
	AIModels             []string          `json:"ai_models"`
	Variables            map[string]string `json:"variables"`
}

// HostTLS holds the certificate and key files of an HTTPS host.
type HostTLS struct {
	Cert string `json:"cert"`
	Key  string `json:"key"`
}

// NewHostConfig returns the host configuration serving m.
func NewHostConfig(m *Manifest, o HostOptions) (*HostConfig, error) {
	if o.Listen == "" {
		return nil, errors.New("spinapp: no listen address")
	}
	if o.StateDir == "" {
		return nil, errors.New("spinapp: no state folder")
	}
	state, err := filepath.Abs(o.StateDir)
	if err != nil {
		return nil, err
	}
	cfg := &HostConfig{Listen: o.Listen, Base: m.Base, KeyValueFile: filepath.Join(state, "sqlite_key_value.db"), SQLiteDir: state,
		Variables: m.Variables, Routes: []HostRoute{}, RedisAddress: m.RedisAddress, RedisTriggers: m.RedisTriggers,
		Components: map[string]HostComponent{}, InstanceReuse: HostReuse{Reuse: o.MaxInstanceReuseCount, Concurrent: o.MaxInstanceConcurrentReuseCount}}
	if o.MaxInstanceReuseCount < 0 || o.MaxInstanceConcurrentReuseCount < 0 {
		return nil, errors.New("spinapp: instance reuse counts cannot be negative")
	}
	for _, r := range m.Routes {
		cfg.Routes = append(cfg.Routes, HostRoute{Route: r.Route, Component: r.Component, Executor: r.Executor})
	}
	for id, c := range m.Components {
		cfg.Components[id] = HostComponent{Source: c.Source, AllowedOutboundHosts: c.AllowedOutboundHosts, Environment: c.Environment,
			KeyValueStores: c.KeyValueStores, SQLiteDatabases: c.SQLiteDatabases, AIModels: c.AIModels, Variables: c.Variables}
	}
	cert, key := o.TLSCert, o.TLSKey
	if cert == "" && key == "" {
		cert, key = os.Getenv("SPIN_TLS_CERT"), os.Getenv("SPIN_TLS_KEY")
	}
	if (cert == "") != (key == "") {
		return nil, errors.New("spinapp: HTTPS needs both a certificate and a key")
	}
	if cert != "" {
		cfg.TLS = &HostTLS{Cert: cert, Key: key}
	}
	return cfg, nil
}

// URL is the base URL the host serves the application on, e.g.
// http://127.0.0.1:3000 (without the application's base path).
func (c *HostConfig) URL() string {
	if c.TLS != nil {
		return "https://" + c.Listen
	}
	return "http://" + c.Listen
}

// WriteHostConfig writes the host configuration serving m to file, creates
// the state folder, and returns the configuration.
func WriteHostConfig(file string, m *Manifest, o HostOptions) (*HostConfig, error) {
	cfg, err := NewHostConfig(m, o)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.SQLiteDir, 0o755); err != nil {
		return nil, err
	}
	data, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return nil, err
	}
	return cfg, nil
}
