package bindgen

import (
	"go/token"
	"strings"

	"github.com/spin-go/sdk/internal/wit"
)

// Go names are derived from WIT names by fixed rules so that users can
// predict them: kebab-case words become PascalCase (`get-path-with-query`
// → GetPathWithQuery), acronym words stay upper-case (`DNS-error` →
// DNSError), and parameters are camelCase. Package directories are the WIT
// name with every separator turned into '_'.

// pascal converts a kebab-case WIT name to an exported Go identifier.
func pascal(name string) string {
	var b strings.Builder
	for _, w := range strings.Split(name, "-") {
		if w == "" {
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]))
		b.WriteString(w[1:])
	}
	return b.String()
}

// reserved are names a parameter must not take: Go keywords, predeclared
// identifiers the generated code calls, and the packages it imports.
var reserved = map[string]bool{
	"any": true, "append": true, "bool": true, "byte": true, "cap": true, "clear": true,
	"close": true, "complex": true, "copy": true, "delete": true, "error": true,
	"false": true, "float32": true, "float64": true, "imag": true, "int": true,
	"int8": true, "int16": true, "int32": true, "int64": true, "iota": true,
	"len": true, "make": true, "max": true, "min": true, "new": true, "nil": true,
	"panic": true, "print": true, "println": true, "real": true, "recover": true,
	"rune": true, "string": true, "true": true, "uint": true, "uint8": true,
	"uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"unsafe": true, "runtime": true, "math": true, "self": true, "result": true,
}

// camel converts a kebab-case WIT name to an unexported Go identifier that
// is safe as a parameter name.
func camel(name string) string {
	words := strings.Split(name, "-")
	var b strings.Builder
	for i, w := range words {
		if w == "" {
			continue
		}
		if i == 0 {
			b.WriteString(strings.ToLower(w))
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]))
		b.WriteString(w[1:])
	}
	s := b.String()
	if token.IsKeyword(s) || reserved[s] {
		s += "_"
	}
	return s
}

// snake turns any WIT name or version into a directory-safe word:
// separators (- . : + / @) become '_'.
func snake(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '.', ':', '+', '/', '@':
			return '_'
		}
		return r
	}, s)
}

// ifaceDir is the package directory of an interface: `ns_pkg_version_name`,
// e.g. wasi_http_0_3_0_rc_2026_03_15_types.
func ifaceDir(i *wit.Interface) string {
	n := i.Package.Name
	parts := []string{n.Namespace, n.Name}
	if n.Version != "" {
		parts = append(parts, n.Version)
	}
	parts = append(parts, i.Name)
	return snake(strings.Join(parts, "_"))
}

// worldDir is the directory of a world: `ns_pkg_world_version`, e.g.
// wasi_http_service_0_3_0_rc_2026_03_15.
func worldDir(w *wit.World) string {
	n := w.Package.Name
	parts := []string{n.Namespace, n.Name, w.Name}
	if n.Version != "" {
		parts = append(parts, n.Version)
	}
	return snake(strings.Join(parts, "_"))
}

// namer hands out package-level identifiers, resolving collisions by
// appending '_' in allocation order (which is fixed by the WIT order).
type namer struct{ used map[string]bool }

func newNamer() *namer { return &namer{used: map[string]bool{}} }

func (n *namer) take(want string) string {
	for n.used[want] {
		want += "_"
	}
	n.used[want] = true
	return want
}
