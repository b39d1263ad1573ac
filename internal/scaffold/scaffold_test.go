package scaffold

import (
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/spinapp"
	"github.com/spin-go/sdk/templates"
)

func TestFilters(t *testing.T) {
	tests := []struct {
		filter, in, want string
	}{
		{"kebab_case", "My Application", "my-application"},
		{"kebab_case", "myApplication", "my-application"},
		{"kebab_case", "HTTPServer2Go", "http-server2-go"},
		{"kebab_case", "already-kebab", "already-kebab"},
		{"kebab_case", "snake_case_name", "snake-case-name"},
		{"kebab_case", "  spaced   out  ", "spaced-out"},
		{"kebab_case", "v2Api", "v2-api"},
		{"kebab_case", "", ""},
		{"snake_case", "My Application", "my_application"},
		{"snake_case", "originally-kebabby", "originally_kebabby"},
		{"snake_case", "parseHTTPRequest", "parse_http_request"},
		{"pascal_case", "originally_snaky", "OriginallySnaky"},
		{"pascal_case", "my application", "MyApplication"},
		{"pascal_case", "HTTP server", "HttpServer"},
		{"camel_case", "my-application", "myApplication"},
		{"camel_case", "My Application", "myApplication"},
		{"camel_case", "HTTP server", "httpServer"},
		{"dotted_pascal_case", "acme.pet-store", "Acme.PetStore"},
		{"dotted_pascal_case", "acme pet store", "AcmePetStore"},
		{"http_wildcard", "/api", "/api/..."},
		{"http_wildcard", "/api/", "/api/..."},
		{"http_wildcard", "/api/...", "/api/..."},
		{"downcase", "MiXeD", "mixed"},
		{"lower", "MiXeD", "mixed"},
		{"lowercase", "MiXeD", "mixed"},
		{"upcase", "MiXeD", "MIXED"},
		{"upper", "MiXeD", "MIXED"},
		{"uppercase", "MiXeD", "MIXED"},
	}
	for _, tt := range tests {
		t.Run(tt.filter+"/"+tt.in, func(t *testing.T) {
			got, err := Render("{{ v | "+tt.filter+" }}", map[string]string{"v": tt.in})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRender(t *testing.T) {
	values := map[string]string{"project-name": "My App", "http-path": "/...", "empty": ""}
	tests := []struct {
		in, want string
	}{
		{"no placeholders", "no placeholders"},
		{"name = \"{{project-name}}\"", `name = "My App"`},
		{"{{ project-name | kebab_case }}/{{project-name|snake_case}}", "my-app/my_app"},
		{"{{ project-name | kebab_case | upcase }}", "MY-APP"},
		{"route = {{http-path}}", "route = /..."},
		{"a\n  {{- empty -}}  \nb", "ab"},
		{"[{{ empty }}]", "[]"},
		{"{ single } braces {", "{ single } braces {"},
	}
	for _, tt := range tests {
		got, err := Render(tt.in, values)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestRenderErrors(t *testing.T) {
	values := map[string]string{"project-name": "x"}
	tests := []struct {
		in, want string
	}{
		{"a\nb {{ nope }}", `line 2: unknown variable "nope" (known: project-name)`},
		{"{{ project-name | shout }}", `line 1: unknown filter "shout" (known: camel_case, `},
		{"{{ project-name | append: \"x\" }}", `filter "append": filter arguments are not supported`},
		{"\n\n{{ project-name ", "line 3: {{ is not closed by }}"},
		{"{% if x %}y{% endif %}", "line 1: Liquid tags ({% ... %}) are not supported"},
		{"{{ }}", "empty placeholder"},
		{`{{ "lit" }}`, "is not a parameter name"},
	}
	for _, tt := range tests {
		_, err := Render(tt.in, values)
		require.Error(t, err, tt.in)
		assert.Contains(t, err.Error(), tt.want, tt.in)
	}
}

// testTemplate is a template with placeholders in file and folder names,
// a .tmpl file, a binary file and a parameter with a pattern.
func testTemplate() fstest.MapFS {
	return fstest.MapFS{
		"demo/metadata/spin-template.toml": {Data: []byte(`manifest_version = "1"
id = "demo"
description = "A demo"

[new_application]
skip_files = ["skipped.txt"]

[parameters]
http-path = { type = "string", prompt = "HTTP path", default = "/...", pattern = '^/\S*$' }
flavour = { type = "string", prompt = "Flavour", allowed_values = ["sweet", "sour"] }
`)},
		"demo/content/spin.toml":                                     {Data: []byte("name = \"{{project-name | kebab_case}}\"\nroute = \"{{http-path}}\"\n")},
		"demo/content/{{project-name !! snake_case}}.go.tmpl":        {Data: []byte("package {{project-name | snake_case}}\n")},
		"demo/content/{{project-name !! kebab_case}}/{{flavour}}.md": {Data: []byte("{{flavour | upcase}} at {{output-path}}\n")},
		"demo/content/logo.bin":                                      {Data: []byte{0xff, 0xfe, '{', '{', 'x', '}', '}'}},
		"demo/content/skipped.txt":                                   {Data: []byte("{{ nope }}")},
	}
}

func TestGenerate(t *testing.T) {
	tmpl, err := Find(testTemplate(), "demo")
	require.NoError(t, err)
	assert.Equal(t, []string{"flavour", "http-path"}, tmpl.ParameterNames())
	dir := filepath.Join(t.TempDir(), "out")
	files, err := tmpl.Generate(Options{Name: "Pet Store", Dir: dir, OutputPath: "out", Values: map[string]string{"flavour": "sour"}})
	require.NoError(t, err)
	sort.Strings(files)
	assert.Equal(t, []string{"logo.bin", "pet-store/sour.md", "pet_store.go", "spin.toml"}, files)
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return string(data)
	}
	assert.Equal(t, "name = \"pet-store\"\nroute = \"/...\"\n", read("spin.toml"))
	assert.Equal(t, "package pet_store\n", read("pet_store.go"))
	assert.Equal(t, "SOUR at out\n", read("pet-store/sour.md"))
	assert.Equal(t, "\xff\xfe{{x}}", read("logo.bin"), "binary files are copied as they are")
	assert.NoFileExists(t, filepath.Join(dir, "skipped.txt"))
}

func TestGenerateErrors(t *testing.T) {
	tmpl, err := Find(testTemplate(), "demo")
	require.NoError(t, err)
	full := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(full, "keep.txt"), []byte("mine"), 0o644))
	tests := []struct {
		name   string
		dir    string
		values map[string]string
		want   string
	}{
		{"pattern", "", map[string]string{"flavour": "sweet", "http-path": "no-slash"},
			`parameter http-path: value "no-slash" does not match the pattern ^/\S*$`},
		{"pattern with a space", "", map[string]string{"flavour": "sweet", "http-path": "/a b"},
			`parameter http-path: value "/a b" does not match the pattern ^/\S*$`},
		{"allowed values", "", map[string]string{"flavour": "salty"},
			`parameter flavour: value "salty" is not one of sweet, sour`},
		{"unknown key", "", map[string]string{"flavour": "sweet", "colour": "red"},
			`template demo has no parameter "colour" (known: flavour, http-path)`},
		{"project-name is not a parameter", "", map[string]string{"flavour": "sweet", "project-name": "x"},
			`template demo has no parameter "project-name"`},
		{"no default", "", nil,
			"parameter flavour (Flavour) has no default: give it with --value flavour=VALUE"},
		{"overwrite", full, map[string]string{"flavour": "sweet"},
			full + " already exists and is not empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.dir
			if dir == "" {
				dir = filepath.Join(t.TempDir(), "app")
			}
			_, err := tmpl.Generate(Options{Name: "app", Dir: dir, Values: tt.values})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			if tt.dir == "" {
				assert.NoDirExists(t, dir, "nothing is written on an error")
			}
		})
	}
	data, err := os.ReadFile(filepath.Join(full, "keep.txt"))
	require.NoError(t, err)
	assert.Equal(t, "mine", string(data), "the existing folder is left alone")

	// An existing empty folder is fine.
	empty := t.TempDir()
	_, err = tmpl.Generate(Options{Name: "app", Dir: empty, Values: map[string]string{"flavour": "sweet"}})
	require.NoError(t, err)
}

func TestGenerateRenderErrorNamesTheFile(t *testing.T) {
	fsys := testTemplate()
	fsys["demo/content/bad.txt"] = &fstest.MapFile{Data: []byte("ok\n{{ project-name | nope }}\n")}
	tmpl, err := Load(fsys, "demo")
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "app")
	_, err = tmpl.Generate(Options{Name: "app", Dir: dir, Values: map[string]string{"flavour": "sweet"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `demo/content/bad.txt: line 2: unknown filter "nope"`)
	assert.NoDirExists(t, dir)

	// A rendered file name must stay inside the application.
	for _, name := range []string{"{{project-name}}", "{{project-name}}/x.txt", "{{output-path}}"} {
		fsys = testTemplate()
		fsys["demo/content/"+name] = &fstest.MapFile{Data: []byte("x")}
		tmpl, err = Load(fsys, "demo")
		require.NoError(t, err)
		_, err = tmpl.Generate(Options{Name: "..", Dir: dir, OutputPath: "/abs", Values: map[string]string{"flavour": "sweet"}})
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "which is not a file inside the application", name)
	}
	assert.NoDirExists(t, dir)
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		manifest, want string
	}{
		{`manifest_version = "2"` + "\nid = \"x\"\n", `manifest_version must be "1" (found "2")`},
		{`manifest_version = "1"` + "\n", "no id"},
		{`manifest_version = "1"` + "\nid = \"x\"\nbogus = 1\n", `unknown key "bogus"`},
		{`manifest_version = "1"` + "\nid = \"x\"\n[parameters]\np = { type = \"int\", prompt = \"P\" }\n", `parameter p: type must be "string"`},
		{`manifest_version = "1"` + "\nid = \"x\"\n[parameters]\np = { type = \"string\" }\n", "parameter p: no prompt"},
		{`manifest_version = "1"` + "\nid = \"x\"\n[parameters]\np = { type = \"string\", prompt = \"P\", pattern = \"(\" }\n", "parameter p: pattern (:"},
		{`manifest_version = "1"` + "\nid = \"x\"\n[add_component.snippets]\ncomponent = \"missing.txt\"\n", "add_component snippet component"},
		{`manifest_version = = "1"`, "x/metadata/spin-template.toml:"},
	}
	for _, tt := range tests {
		_, err := Load(fstest.MapFS{"x/metadata/spin-template.toml": {Data: []byte(tt.manifest)}}, "x")
		require.Error(t, err, tt.manifest)
		assert.Contains(t, err.Error(), tt.want, tt.manifest)
		assert.Contains(t, err.Error(), "x/metadata/spin-template.toml", tt.manifest)
	}
	_, err := Find(testTemplate(), "nope")
	require.Error(t, err)
	assert.Equal(t, `no template "nope" (templates: demo)`, err.Error())
}

// TestShippedTemplates renders the templates in templates/ with their
// defaults: spin.toml reads as the application it should be, main.go is
// gofmt-clean Go, and every snippet renders.
func TestShippedTemplates(t *testing.T) {
	all, err := List(templates.FS)
	require.NoError(t, err)
	var ids []string
	for _, tmpl := range all {
		ids = append(ids, tmpl.ID)
	}
	require.Equal(t, []string{"http-go", "redis-go"}, ids)
	for _, tmpl := range all {
		t.Run(tmpl.ID, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "my-app")
			files, err := tmpl.Generate(Options{Name: "My App", Dir: dir, Values: map[string]string{"project-description": "A test"}})
			require.NoError(t, err)
			sort.Strings(files)
			assert.Equal(t, []string{".gitignore", "README.md", "go.mod", "main.go", "spin.toml"}, files)
			m, err := spinapp.ReadManifest(filepath.Join(dir, "spin.toml"))
			require.NoError(t, err)
			assert.Equal(t, "my-app", m.Name)
			require.Contains(t, m.Components, "my-app")
			c := m.Components["my-app"]
			assert.Equal(t, filepath.Join(dir, "main.wasm"), c.Source)
			assert.Equal(t, dir, c.BuildDir)
			assert.Equal(t, "go tool componentize-go build", c.BuildCommand)
			switch tmpl.ID {
			case "http-go":
				assert.Equal(t, []spinapp.Route{{Route: "/...", Component: "my-app"}}, m.Routes)
			case "redis-go":
				assert.Equal(t, "redis://localhost:6379", m.RedisAddress)
				assert.Equal(t, []spinapp.RedisTrigger{{Channel: "messages", Component: "my-app"}}, m.RedisTriggers)
			}
			src, err := os.ReadFile(filepath.Join(dir, "main.go"))
			require.NoError(t, err)
			formatted, err := format.Source(src)
			require.NoError(t, err)
			assert.Equal(t, string(formatted), string(src), "main.go is gofmt-clean")
			gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			require.NoError(t, err)
			assert.Contains(t, string(gomod), "module my-app\n\ngo 1.25\n")
			assert.Contains(t, string(gomod), "\ntool github.com/spin-go/sdk/cmd/componentize-go\n")
			gitignore, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
			require.NoError(t, err)
			assert.Contains(t, strings.Fields(string(gitignore)), "main.wasm")

			// The snippets `spin add` appends render with the same values.
			values, err := tmpl.Values("My App", "my-app", nil)
			require.NoError(t, err)
			snippets, err := templates.FS.ReadDir(tmpl.ID + "/metadata/snippets")
			require.NoError(t, err)
			require.NotEmpty(t, snippets)
			for _, s := range snippets {
				data, err := templates.FS.ReadFile(tmpl.ID + "/metadata/snippets/" + s.Name())
				require.NoError(t, err)
				out, err := Render(string(data), values)
				require.NoError(t, err, s.Name())
				assert.NotContains(t, out, "{{", s.Name())
			}
		})
	}
}
