// Package spinapp reads a Spin application's spin.toml (manifest version
// 2), builds its components with componentize-go and writes the
// configuration the local host (host.mjs app) serves the application
// from. spintest.Up and `componentize-go up` both run applications
// through it.
package spinapp

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Manifest is what the local host reads from a spin.toml (manifest version
// 2): the application, its HTTP routes and base path, its Redis triggers,
// and its components.
type Manifest struct {
	Path   string
	Name   string
	Base   string
	Routes []Route
	// RedisAddress is [application.trigger.redis] address, the server the
	// Redis triggers subscribe on unless a trigger names its own.
	RedisAddress  string
	RedisTriggers []RedisTrigger
	Components    map[string]*Component
	// Variables are the application's [variables].
	Variables   map[string]Variable
	componentID []string
}

// ComponentIDs returns the IDs of the components, sorted.
func (m *Manifest) ComponentIDs() []string { return append([]string(nil), m.componentID...) }

// Variable is an application variable: a default, or required.
type Variable struct {
	Default  *string `toml:"default" json:"default,omitempty"`
	Required bool    `toml:"required" json:"required,omitempty"`
	Secret   bool    `toml:"secret" json:"secret,omitempty"`
}

// Route maps an HTTP route (`/cart`, `/users/...`, `/...`) to a component.
type Route struct {
	Route     string
	Component string
	// Executor is "" (Spin's component executor) or "wagi": the component
	// is a wasi_snapshot_preview1 command run once per request, CGI style.
	Executor string
}

// RedisTrigger is a [[trigger.redis]]: the component runs for every
// message published on Channel.
type RedisTrigger struct {
	Channel   string `json:"channel"`
	Component string `json:"component"`
	Address   string `json:"address,omitempty"`
}

// Component is a [component.<id>] table.
type Component struct {
	ID                   string
	Source               string // absolute path of the .wasm
	AllowedOutboundHosts []string
	Environment          map[string]string
	KeyValueStores       []string
	SQLiteDatabases      []string
	AIModels             []string
	// Variables are the component's variable templates ("{{ name }}").
	Variables map[string]string
	// BuildDir is the folder the build command runs in, empty when the
	// component has no [component.<id>.build].
	BuildDir     string
	BuildCommand string
	// Wagi is set when a route runs the component with the Wagi executor;
	// it is then built with --wagi.
	Wagi bool
}

type rawManifest struct {
	Version     int                 `toml:"spin_manifest_version"`
	Variables   map[string]Variable `toml:"variables"`
	Application struct {
		Name    string `toml:"name"`
		Trigger struct {
			HTTP struct {
				Base string `toml:"base"`
			} `toml:"http"`
			Redis struct {
				Address string `toml:"address"`
			} `toml:"redis"`
		} `toml:"trigger"`
	} `toml:"application"`
	Trigger struct {
		HTTP []struct {
			Route     string `toml:"route"`
			Component string `toml:"component"`
			Executor  *struct {
				Type string `toml:"type"`
			} `toml:"executor"`
		} `toml:"http"`
		Redis []struct {
			Channel   string `toml:"channel"`
			Component string `toml:"component"`
			Address   string `toml:"address"`
		} `toml:"redis"`
	} `toml:"trigger"`
	Component map[string]struct {
		Source               string            `toml:"source"`
		AllowedOutboundHosts []string          `toml:"allowed_outbound_hosts"`
		Environment          map[string]string `toml:"environment"`
		KeyValueStores       []string          `toml:"key_value_stores"`
		SQLiteDatabases      []string          `toml:"sqlite_databases"`
		AIModels             []string          `toml:"ai_models"`
		Variables            map[string]string `toml:"variables"`
		Build                *struct {
			Command string `toml:"command"`
			Workdir string `toml:"workdir"`
		} `toml:"build"`
	} `toml:"component"`
}

// ReadManifest reads and checks a spin.toml. Errors name the file and what
// is wrong. Every path in the result is absolute.
func ReadManifest(path string) (*Manifest, error) {
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw rawManifest
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if raw.Version != 2 {
		return nil, fmt.Errorf("%s: spin_manifest_version must be 2 (found %d)", path, raw.Version)
	}
	dir := filepath.Dir(path)
	m := &Manifest{Path: path, Name: raw.Application.Name, Base: raw.Application.Trigger.HTTP.Base,
		Components: map[string]*Component{}, Variables: raw.Variables}
	for name, v := range raw.Variables {
		if v.Default == nil && !v.Required {
			return nil, fmt.Errorf("%s: variable %q needs a default or required = true", path, name)
		}
	}
	if m.Base == "" {
		m.Base = "/"
	}
	if !strings.HasPrefix(m.Base, "/") {
		return nil, fmt.Errorf("%s: application.trigger.http.base %q must start with '/'", path, m.Base)
	}
	for id, c := range raw.Component {
		if c.Source == "" {
			return nil, fmt.Errorf("%s: component %q has no source", path, id)
		}
		comp := &Component{ID: id, Source: abs(dir, c.Source), AllowedOutboundHosts: c.AllowedOutboundHosts,
			Environment: c.Environment, KeyValueStores: c.KeyValueStores, SQLiteDatabases: c.SQLiteDatabases, AIModels: c.AIModels, Variables: c.Variables}
		if c.Build != nil {
			comp.BuildDir = abs(dir, c.Build.Workdir)
			comp.BuildCommand = c.Build.Command
		}
		m.Components[id] = comp
		m.componentID = append(m.componentID, id)
	}
	sort.Strings(m.componentID)
	for i, tr := range raw.Trigger.HTTP {
		if !strings.HasPrefix(tr.Route, "/") {
			return nil, fmt.Errorf("%s: trigger.http[%d]: route %q must start with '/'", path, i, tr.Route)
		}
		if strings.Contains(strings.TrimSuffix(tr.Route, "/..."), "...") {
			return nil, fmt.Errorf("%s: trigger.http[%d]: route %q: '...' may only end a route, as /prefix/...", path, i, tr.Route)
		}
		if _, ok := m.Components[tr.Component]; !ok {
			return nil, fmt.Errorf("%s: trigger.http[%d]: route %s names component %q, which is not defined", path, i, tr.Route, tr.Component)
		}
		route := Route{Route: tr.Route, Component: tr.Component}
		if tr.Executor != nil {
			switch tr.Executor.Type {
			case "spin", "http":
			case "wagi":
				route.Executor = "wagi"
				m.Components[tr.Component].Wagi = true
			default:
				return nil, fmt.Errorf("%s: trigger.http[%d]: route %s: executor type %q is not one Spin knows (spin, wagi)", path, i, tr.Route, tr.Executor.Type)
			}
		}
		m.Routes = append(m.Routes, route)
	}
	m.RedisAddress = raw.Application.Trigger.Redis.Address
	for i, tr := range raw.Trigger.Redis {
		if tr.Channel == "" {
			return nil, fmt.Errorf("%s: trigger.redis[%d]: no channel", path, i)
		}
		if _, ok := m.Components[tr.Component]; !ok {
			return nil, fmt.Errorf("%s: trigger.redis[%d]: channel %s names component %q, which is not defined", path, i, tr.Channel, tr.Component)
		}
		if tr.Address == "" && m.RedisAddress == "" {
			return nil, fmt.Errorf("%s: trigger.redis[%d]: no Redis address: set [application.trigger.redis] address", path, i)
		}
		m.RedisTriggers = append(m.RedisTriggers, RedisTrigger{Channel: tr.Channel, Component: tr.Component, Address: tr.Address})
	}
	if len(m.Routes) == 0 && len(m.RedisTriggers) == 0 {
		return nil, fmt.Errorf("%s: no triggers: add [[trigger.http]] routes or [[trigger.redis]] channels", path)
	}
	return m, nil
}

// abs resolves a manifest path relative to the manifest's folder.
func abs(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
