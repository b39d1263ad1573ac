package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spin-go/sdk/internal/scaffold"
	"github.com/spin-go/sdk/templates"
)

// sdkModule is the SDK's module path, the one --sdk replaces.
const sdkModule = "github.com/spin-go/sdk"

const newUsage = `usage: componentize-go [-C DIR] new TEMPLATE NAME [--value KEY=VALUE]... [-o DIR] [--sdk PATH]

Creates a Spin application from a template: NAME is its project-name, and
it is created in DIR (default: NAME in kebab-case, under -C DIR or the
current folder). Then, in that folder:

  go mod tidy                    adds the SDK to go.mod (needed once)
  go tool componentize-go up     builds, then serves the application

--sdk PATH uses a local copy of the SDK (a replace directive in go.mod)
until the module is published.

Templates:
`

// valuesFlag collects --value KEY=VALUE flags.
type valuesFlag map[string]string

func (v valuesFlag) String() string { return "" }
func (v valuesFlag) Set(s string) error {
	k, val, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("%q is not KEY=VALUE", s)
	}
	v[strings.TrimSpace(k)] = val
	return nil
}

// cmdNew creates an application from one of the embedded templates.
func cmdNew(o *options, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	values := valuesFlag{}
	fs.Var(values, "value", "a template parameter: `KEY=VALUE` (repeatable)")
	out := fs.String("o", "", "the `DIR` to create (default: NAME in kebab-case)")
	sdk := fs.String("sdk", "", "use the SDK in `PATH` (adds a replace directive to go.mod)")
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprint(w, newUsage)
		if all, err := scaffold.List(templates.FS); err == nil {
			for _, t := range all {
				fmt.Fprintf(w, "  %-10s %s\n", t.ID, t.Description)
				for _, name := range t.ParameterNames() {
					p := t.Parameters[name]
					def := "required"
					if p.Default != nil {
						def = fmt.Sprintf("default %q", *p.Default)
					}
					fmt.Fprintf(w, "      --value %-26s %s (%s)\n", name+"=...", p.Prompt, def)
				}
			}
		}
		fmt.Fprintln(w, "\nFlags:")
		fs.PrintDefaults()
	}
	// Flags may come before, between or after TEMPLATE and NAME.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 2 {
		fmt.Fprintf(fs.Output(), "componentize-go new: want TEMPLATE and NAME, got %q\n", pos)
		fs.Usage()
		return errUsage
	}
	id, name := pos[0], pos[1]
	tmpl, err := scaffold.Find(templates.FS, id)
	if err != nil {
		return err
	}
	rel := *out
	if rel == "" {
		rel = scaffold.Filters["kebab_case"](name)
		if rel == "" {
			return fmt.Errorf("the name %q has no letters or digits to make a folder name of; pass -o DIR", name)
		}
	}
	dir := rel
	if o.Dir != "" && !filepath.IsAbs(dir) {
		dir = filepath.Join(o.Dir, dir)
	}
	var sdkDir string
	if *sdk != "" {
		if sdkDir, err = filepath.Abs(*sdk); err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join(sdkDir, "go.mod")); err != nil {
			return fmt.Errorf("--sdk %s: not a module folder: %v", *sdk, err)
		}
	}
	files, err := tmpl.Generate(scaffold.Options{Name: name, Dir: dir, OutputPath: rel, Values: values})
	if err != nil {
		return err
	}
	if sdkDir != "" {
		if err := replaceSDK(filepath.Join(dir, "go.mod"), sdkDir); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "componentize-go: created %s from %s (%d files)\n\nNext:\n  cd %s\n  go mod tidy\n  go tool componentize-go up\n",
		dir, tmpl.ID, len(files), dir)
	return nil
}

// replaceSDK makes the generated go.mod use the SDK in dir: it requires
// the module at the version Go gives a replaced module without a version
// and replaces it with dir.
func replaceSDK(gomod, dir string) error {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return fmt.Errorf("--sdk: the template has no go.mod: %v", err)
	}
	text := strings.TrimRight(string(data), "\n") + fmt.Sprintf(`

require %[1]s v0.0.0-00010101000000-000000000000

// Until the SDK is published, use a local copy (componentize-go new --sdk).
replace %[1]s => %[2]s
`, sdkModule, modPath(dir))
	return os.WriteFile(gomod, []byte(text), 0o644)
}

// modPath quotes a file path for go.mod when it needs quotes.
func modPath(p string) string {
	if strings.ContainsAny(p, " \t\"'`\\") {
		return strconv.Quote(p)
	}
	return p
}
