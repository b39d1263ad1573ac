package spintest

import "github.com/spin-go/sdk/internal/spinapp"

// Manifest is what the test host reads from a spin.toml (manifest version
// 2): the application, its HTTP routes and base path, its Redis triggers,
// and its components.
type Manifest = spinapp.Manifest

// Variable is an application variable: a default, or required.
type Variable = spinapp.Variable

// Route maps an HTTP route (`/cart`, `/users/...`, `/...`) to a component.
type Route = spinapp.Route

// RedisTrigger is a [[trigger.redis]]: the component runs for every
// message published on Channel.
type RedisTrigger = spinapp.RedisTrigger

// Component is a [component.<id>] table.
type Component = spinapp.Component

// ReadManifest reads and checks a spin.toml. Errors name the file and what
// is wrong. Every path in the result is absolute.
func ReadManifest(path string) (*Manifest, error) { return spinapp.ReadManifest(path) }
