// Package scaffold creates Spin applications from templates in Spin's
// template format, the one `spin new` reads: a template is a folder with
// content/ (the files of the new application, with {{ placeholders }})
// and metadata/spin-template.toml (manifest_version = "1", id,
// description, [parameters], and [add_component] with its snippets for
// `spin add`).
//
// Placeholders are the Liquid subset Spin's templates use: a parameter
// name and filters, {{ project-name | kebab_case }} (see Filters). File
// and folder names may hold placeholders too, with "!!" standing for the
// "|" a file name cannot contain, and a trailing ".tmpl" is dropped, so a
// template can ship main.go.tmpl and go.mod.tmpl without them being Go
// code or a nested module in the repository that holds the template.
//
// Besides the template's parameters, every template sees project-name
// (the NAME of `componentize-go new NAME`) and output-path (the folder it
// is created in, as given).
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// ManifestPath is where a template keeps its manifest, relative to the
// template's folder.
const ManifestPath = "metadata/spin-template.toml"

// Template is one template folder.
type Template struct {
	// ID names the template (`componentize-go new ID NAME`).
	ID          string
	Description string
	Tags        []string
	// Parameters are the values the template asks for, by name.
	Parameters map[string]*Parameter

	fsys      fs.FS  // the folder holding the template folders
	dir       string // the template's folder in fsys
	newApp    bool   // [new_application] is supported
	skipFiles map[string]bool
}

// Parameter is one entry of a template's [parameters].
type Parameter struct {
	Name   string
	Type   string // "string", the only type Spin knows
	Prompt string
	// Default is used when no value is given; nil means the value is
	// required.
	Default *string
	// Pattern, when set, is a regular expression every value must match.
	Pattern       string
	AllowedValues []string

	re *regexp.Regexp
}

// rawManifest is metadata/spin-template.toml.
type rawManifest struct {
	ManifestVersion string   `toml:"manifest_version"`
	ID              string   `toml:"id"`
	Description     string   `toml:"description"`
	Tags            []string `toml:"tags"`
	TriggerType     string   `toml:"trigger_type"`
	NewApplication  *variant `toml:"new_application"`
	AddComponent    *variant `toml:"add_component"`
	Parameters      map[string]struct {
		Type          string   `toml:"type"`
		Prompt        string   `toml:"prompt"`
		Default       *string  `toml:"default"`
		Pattern       string   `toml:"pattern"`
		AllowedValues []string `toml:"allowed_values"`
	} `toml:"parameters"`
}

// variant is [new_application] or [add_component].
type variant struct {
	Supported      *bool             `toml:"supported"`
	SkipFiles      []string          `toml:"skip_files"`
	SkipParameters []string          `toml:"skip_parameters"`
	Snippets       map[string]string `toml:"snippets"`
	Conditions     map[string]struct {
		Condition      map[string]string `toml:"condition"`
		SkipFiles      []string          `toml:"skip_files"`
		SkipParameters []string          `toml:"skip_parameters"`
		SkipSnippets   []string          `toml:"skip_snippets"`
	} `toml:"conditions"`
}

// Load reads the template in folder dir of fsys and checks its manifest
// the way Spin does: unknown keys, a manifest_version other than "1",
// parameters that are not strings or lack a prompt, and patterns that do
// not compile are errors naming the file.
func Load(fsys fs.FS, dir string) (*Template, error) {
	file := path.Join(dir, ManifestPath)
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	var raw rawManifest
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if keys := md.Undecoded(); len(keys) > 0 {
		return nil, fmt.Errorf("%s: unknown key %q", file, keys[0].String())
	}
	if raw.ManifestVersion != "1" {
		return nil, fmt.Errorf("%s: manifest_version must be \"1\" (found %q)", file, raw.ManifestVersion)
	}
	if raw.ID == "" {
		return nil, fmt.Errorf("%s: no id", file)
	}
	t := &Template{ID: raw.ID, Description: raw.Description, Tags: raw.Tags, Parameters: map[string]*Parameter{},
		fsys: fsys, dir: dir, newApp: true, skipFiles: map[string]bool{}}
	if v := raw.NewApplication; v != nil {
		t.newApp = v.Supported == nil || *v.Supported
		for _, f := range v.SkipFiles {
			t.skipFiles[f] = true
		}
	}
	for name, p := range raw.Parameters {
		if p.Type != "string" {
			return nil, fmt.Errorf("%s: parameter %s: type must be \"string\" (found %q)", file, name, p.Type)
		}
		if p.Prompt == "" {
			return nil, fmt.Errorf("%s: parameter %s: no prompt", file, name)
		}
		if name == "project-name" || name == "output-path" {
			return nil, fmt.Errorf("%s: parameter %s: the name is reserved for the value the command line gives", file, name)
		}
		param := &Parameter{Name: name, Type: p.Type, Prompt: p.Prompt, Default: p.Default, Pattern: p.Pattern, AllowedValues: p.AllowedValues}
		if p.Pattern != "" {
			if param.re, err = regexp.Compile(p.Pattern); err != nil {
				return nil, fmt.Errorf("%s: parameter %s: pattern %s: %v", file, name, p.Pattern, err)
			}
		}
		t.Parameters[name] = param
	}
	if raw.AddComponent != nil {
		for id, snippet := range raw.AddComponent.Snippets {
			if _, err := fs.Stat(fsys, path.Join(dir, "metadata", "snippets", snippet)); err != nil {
				return nil, fmt.Errorf("%s: add_component snippet %s: %v", file, id, err)
			}
		}
	}
	return t, nil
}

// List loads every template folder of fsys (the folders holding a
// metadata/spin-template.toml), sorted by ID.
func List(fsys fs.FS) ([]*Template, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []*Template
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(e.Name(), ManifestPath)); err != nil {
			continue
		}
		t, err := Load(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Find returns the template of fsys with the given ID; an unknown ID is an
// error that lists the templates there are.
func Find(fsys fs.FS, id string) (*Template, error) {
	all, err := List(fsys)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, t := range all {
		if t.ID == id {
			return t, nil
		}
		ids = append(ids, t.ID)
	}
	return nil, fmt.Errorf("no template %q (templates: %s)", id, strings.Join(ids, ", "))
}

// Check validates one value against the parameter's pattern and allowed
// values; the error names the parameter, the value and the pattern.
func (p *Parameter) Check(value string) error {
	if p.re != nil && !p.re.MatchString(value) {
		return fmt.Errorf("parameter %s: value %q does not match the pattern %s", p.Name, value, p.Pattern)
	}
	if len(p.AllowedValues) > 0 {
		for _, a := range p.AllowedValues {
			if a == value {
				return nil
			}
		}
		return fmt.Errorf("parameter %s: value %q is not one of %s", p.Name, value, strings.Join(p.AllowedValues, ", "))
	}
	return nil
}

// ParameterNames returns the template's parameter names, sorted.
func (t *Template) ParameterNames() []string { return sortedKeys(t.Parameters) }

// Values completes the values given for the template's parameters: each
// given value is checked (an unknown name is an error listing the known
// ones), a missing one takes its default (no default is an error), and
// project-name and output-path are added.
func (t *Template) Values(name, outputPath string, given map[string]string) (map[string]string, error) {
	values := map[string]string{"project-name": name, "output-path": outputPath}
	for _, k := range sortedKeys(given) {
		p, ok := t.Parameters[k]
		if !ok {
			known := t.ParameterNames()
			if len(known) == 0 {
				return nil, fmt.Errorf("template %s has no parameter %q (it has none)", t.ID, k)
			}
			return nil, fmt.Errorf("template %s has no parameter %q (known: %s)", t.ID, k, strings.Join(known, ", "))
		}
		if err := p.Check(given[k]); err != nil {
			return nil, err
		}
		values[k] = given[k]
	}
	for _, k := range t.ParameterNames() {
		if _, ok := values[k]; ok {
			continue
		}
		p := t.Parameters[k]
		if p.Default == nil {
			return nil, fmt.Errorf("parameter %s (%s) has no default: give it with --value %s=VALUE", k, p.Prompt, k)
		}
		values[k] = *p.Default
	}
	return values, nil
}

// Options say where and how Generate creates an application.
type Options struct {
	// Name is the project-name value, e.g. "hello".
	Name string
	// Dir is the folder to create; it must not exist or be empty.
	Dir string
	// OutputPath is the output-path value (default: Dir).
	OutputPath string
	// Values are the parameter values given (`--value k=v`).
	Values map[string]string
}

// Generate renders the template's content/ into o.Dir and returns the
// paths it wrote, relative to o.Dir. It refuses to write into a folder
// that already has files in it.
func (t *Template) Generate(o Options) ([]string, error) {
	if strings.TrimSpace(o.Name) == "" {
		return nil, errors.New("the project name is empty")
	}
	if o.Dir == "" {
		return nil, errors.New("no output folder")
	}
	if !t.newApp {
		return nil, fmt.Errorf("template %s only adds components to an application (spin add)", t.ID)
	}
	if entries, err := os.ReadDir(o.Dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s already exists and is not empty: choose another name or -o DIR", o.Dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if o.OutputPath == "" {
		o.OutputPath = o.Dir
	}
	values, err := t.Values(o.Name, o.OutputPath, o.Values)
	if err != nil {
		return nil, err
	}
	content := path.Join(t.dir, "content")
	type file struct {
		name string
		data []byte
		mode fs.FileMode
	}
	var files []file
	// Render everything before writing anything: an error leaves no
	// half-made application behind.
	err = fs.WalkDir(t.fsys, content, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := strings.TrimPrefix(p, content+"/")
		if t.skipFiles[rel] {
			return nil
		}
		name, err := renderPath(rel, values)
		if err != nil {
			return fmt.Errorf("%s: file name: %v", p, err)
		}
		data, err := fs.ReadFile(t.fsys, p)
		if err != nil {
			return err
		}
		if utf8.Valid(data) { // binary files are copied as they are
			text, err := Render(string(data), values)
			if err != nil {
				return fmt.Errorf("%s: %v", p, err)
			}
			data = []byte(text)
		}
		mode := fs.FileMode(0o644)
		if info, err := d.Info(); err == nil && info.Mode()&0o111 != 0 {
			mode = 0o755
		}
		files = append(files, file{name, data, mode})
		return nil
	})
	if err != nil {
		return nil, err
	}
	var written []string
	for _, f := range files {
		out := filepath.Join(o.Dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return written, err
		}
		if err := os.WriteFile(out, f.data, f.mode); err != nil {
			return written, err
		}
		written = append(written, f.name)
	}
	return written, nil
}

// renderPath renders the placeholders of a content path ("!!" stands for
// "|") and drops a trailing ".tmpl". A rendered path must stay inside the
// application's folder.
func renderPath(rel string, values map[string]string) (string, error) {
	name := rel
	if strings.Contains(name, "{{") {
		var err error
		if name, err = Render(strings.ReplaceAll(name, "!!", "|"), values); err != nil {
			return "", err
		}
	}
	name = strings.TrimSuffix(name, ".tmpl")
	clean := path.Clean(name)
	if name == "" || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || strings.HasSuffix(name, "/") {
		return "", fmt.Errorf("%q renders to %q, which is not a file inside the application", rel, name)
	}
	return clean, nil
}
