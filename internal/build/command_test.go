package build

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCommand(t *testing.T) {
	defaults := Options{Output: "main.wasm", Go: "go"}
	with := func(edit func(o *Options)) Options {
		o := defaults
		edit(&o)
		return o
	}
	for _, c := range []struct {
		command   string
		want      Options
		outputSet bool
	}{
		{"go tool componentize-go build", defaults, false},
		{"  go tool componentize-go   build  ", defaults, false},
		{"componentize-go build", defaults, false},
		{"./bin/componentize-go build", defaults, false},
		{"go tool github.com/spin-go/sdk/cmd/componentize-go build", defaults, false},
		{"go run github.com/spin-go/sdk/cmd/componentize-go@v0.4.0 build", defaults, false},
		{"go run ../../cmd/componentize-go build", defaults, false},
		{"go tool componentize-go build -o app.wasm", with(func(o *Options) { o.Output = "app.wasm" }), true},
		{"go tool componentize-go build -w fermyon:spin/http-trigger@3.0.0",
			with(func(o *Options) { o.Worlds = []string{"fermyon:spin/http-trigger@3.0.0"} }), false},
		// The common flags before the command name, and again after it.
		{"go tool componentize-go -C app -d wit -w a build -w b --features x,y --all-features",
			with(func(o *Options) {
				o.Dir, o.WitPaths, o.Worlds = "app", []string{"wit"}, []string{"a", "b"}
				o.Features, o.AllFeatures = []string{"x", "y"}, true
			}), false},
		{"go tool componentize-go build --debug --optimize --no-size-patches --wagi --tinygo=/opt/tinygo --go=/usr/bin/go --adapt a.wasm --wasip1",
			with(func(o *Options) {
				o.Debug, o.Optimize, o.NoSizePatches, o.Wagi, o.WASIP1 = true, true, true, true, true
				o.TinyGo, o.Go, o.Adapter = "/opt/tinygo", "/usr/bin/go", "a.wasm"
			}), false},
		{"go tool componentize-go build --tinygo", with(func(o *Options) { o.TinyGo = "tinygo" }), false},
		// Quoting as sh does.
		{`go tool componentize-go build -o 'my app.wasm'`, with(func(o *Options) { o.Output = "my app.wasm" }), true},
		{`go tool componentize-go build -o "my \"app\".wasm"`, with(func(o *Options) { o.Output = `my "app".wasm` }), true},
		{`go tool componentize-go build -o my\ app.wasm`, with(func(o *Options) { o.Output = "my app.wasm" }), true},
	} {
		t.Run(c.command, func(t *testing.T) {
			cmd, err := ParseCommand(c.command)
			require.NoError(t, err)
			require.NotNil(t, cmd, "a componentize-go build")
			cmd.Options.Stderr = nil
			assert.Equal(t, c.want, cmd.Options)
			assert.Equal(t, c.outputSet, cmd.OutputSet)
		})
	}
}

// TestParseCommandLeavesOthersToTheShell: what is not a plain
// componentize-go build goes to sh, which runs it as Spin would.
func TestParseCommandLeavesOthersToTheShell(t *testing.T) {
	for _, command := range []string{
		"make build",
		"tinygo build -target=wasip2 -o main.wasm .",
		"go build -o main.wasm .",
		"go tool componentize-go build && cp main.wasm ../app.wasm",
		"go tool componentize-go build; echo done",
		"go tool componentize-go build -o $OUT",
		"go tool componentize-go build -o \"$OUT\"",
		"go tool componentize-go build > build.log",
		"GOFLAGS=-mod=mod go tool componentize-go build",
		"go tool componentize-go bindings -o gen",
		"go tool componentize-go -w x",
		"go tool componentize-go build -o 'unterminated",
		"go tool componentize-go build -o *.wasm",
		"",
	} {
		cmd, err := ParseCommand(command)
		assert.NoError(t, err, command)
		assert.Nil(t, cmd, command)
	}
}

func TestParseCommandErrors(t *testing.T) {
	for command, want := range map[string]string{
		"go tool componentize-go build --bogus":         "flag provided but not defined: -bogus",
		"go tool componentize-go --bogus build":         "flag provided but not defined: -bogus",
		"go tool componentize-go build extra":           `build takes no arguments, got ["extra"]`,
		"go tool componentize-go build -o":              "flag needs an argument: -o",
		"go tool componentize-go build --debug=perhaps": `invalid boolean value "perhaps" for -debug`,
	} {
		_, err := ParseCommand(command)
		require.Error(t, err, command)
		assert.Contains(t, err.Error(), want, command)
		assert.Contains(t, err.Error(), command, "the error quotes the command")
	}
}
