package build

import (
	"flag"
	"fmt"
	"io"
	"path"
	"strings"
)

// Command is a spin.toml build command that runs componentize-go's build.
type Command struct {
	// Options are the build's flags as written: Dir, Output and the WIT
	// paths are relative to the command's working directory.
	Options Options
	// OutputSet says whether the command names its output with -o.
	OutputSet bool
}

// ParseCommand reads a spin.toml build command. When it runs the build of
// componentize-go — `go tool componentize-go build …`, `go run
// …/componentize-go[@version] build …`, or a componentize-go binary — it
// returns that build's flags, so that the caller builds in-process exactly
// what `spin build` would. Any other command (make, a script, commands
// joined with && or ;, another componentize-go command) returns nil: only
// a shell can run it, as Spin does. A componentize-go build with a flag it
// does not take is an error naming the flag.
func ParseCommand(command string) (*Command, error) {
	words, ok := shellWords(command)
	if !ok {
		return nil, nil
	}
	args, ok := componentizeArgs(words)
	if !ok {
		return nil, nil
	}
	// The common flags may come before the command name and after it, as
	// on the command line (see cmd/componentize-go).
	var common CommonFlags
	before := flag.NewFlagSet("componentize-go", flag.ContinueOnError)
	before.SetOutput(io.Discard)
	common.Register(before)
	if err := before.Parse(args); err != nil {
		return nil, fmt.Errorf("build command %q: %v", command, err)
	}
	if before.NArg() == 0 || before.Arg(0) != "build" {
		return nil, nil
	}
	var o Options
	after := flag.NewFlagSet("componentize-go build", flag.ContinueOnError)
	after.SetOutput(io.Discard)
	common.Register(after)
	apply := RegisterFlags(after, &o)
	if err := after.Parse(before.Args()[1:]); err != nil {
		return nil, fmt.Errorf("build command %q: %v", command, err)
	}
	if after.NArg() > 0 {
		return nil, fmt.Errorf("build command %q: build takes no arguments, got %q", command, after.Args())
	}
	apply()
	c := &Command{}
	after.Visit(func(f *flag.Flag) { c.OutputSet = c.OutputSet || f.Name == "o" })
	common.ApplyTo(&o)
	c.Options = o
	return c, nil
}

// componentizeArgs returns the arguments of a componentize-go invocation:
// what follows `go tool X`, `go run X` or X itself, where X is the
// componentize-go tool (its name, its import path or a path to the binary,
// optionally @version for go run).
func componentizeArgs(words []string) ([]string, bool) {
	isTool := func(w string) bool {
		name := path.Base(w)
		if i := strings.IndexByte(name, '@'); i >= 0 {
			name = name[:i]
		}
		return name == "componentize-go"
	}
	switch {
	case len(words) >= 3 && words[0] == "go" && (words[1] == "tool" || words[1] == "run") && isTool(words[2]):
		return words[3:], true
	case len(words) >= 1 && isTool(words[0]):
		return words[1:], true
	}
	return nil, false
}

// shellWords splits a simple command line as sh would: words separated by
// blanks, with '…' and "…" quoting and backslash escapes. It reports false
// for a line that uses anything else of the shell — operators,
// redirections, variables, substitutions, globs, comments — which only a
// shell can run, and for one sh would reject (an open quote).
func shellWords(s string) ([]string, bool) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
			continue
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, false
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				switch s[i] {
				case '$', '`':
					return nil, false
				case '\\':
					// Inside double quotes a backslash escapes only these.
					if i+1 < len(s) && strings.IndexByte("\"\\$`\n", s[i+1]) >= 0 {
						i++
					}
				}
				cur.WriteByte(s[i])
			}
			if i == len(s) {
				return nil, false
			}
		case c == '\\':
			if i+1 == len(s) {
				return nil, false
			}
			i++
			cur.WriteByte(s[i])
		case strings.IndexByte(";&|<>()$`*?[]{}~#", c) >= 0:
			// (A leading VAR=value needs no check: the first word is then
			// not go or componentize-go, and the shell runs the line.)
			return nil, false
		default:
			cur.WriteByte(c)
		}
		inWord = true
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, true
}
