package main

import (
	"os"
	"sort"
	"strings"

	"github.com/spin-go/sdk/internal/component"
)

// part is one row of a size breakdown.
type part struct {
	name  string
	bytes int
}

// category names where a Go function's code comes from, in the terms the
// size goals use: the Go runtime, net/http and what it pulls in, our
// generated bindings, the rest of our SDK, and everything else.
func category(pkg string) string {
	has := func(prefixes ...string) bool {
		for _, p := range prefixes {
			p = component.MangleGoPath(p)
			if pkg == p || strings.HasPrefix(pkg, p+"_") {
				return true
			}
		}
		return false
	}
	switch {
	case pkg == "" || has("runtime", "internal", "sync", "syscall", "unsafe", "reflect", "iter", "errors", "type", "go"):
		return "Go runtime"
	case has("github.com/spin-go/sdk/imports", "github.com/spin-go/sdk/exports", "go.bytecodealliance.org"):
		return "generated bindings"
	case has("github.com/spin-go/sdk"):
		return "spin-go packages"
	case has("net", "crypto", "vendor", "mime", "compress", "hash", "math/big", "container", "encoding/asn1", "encoding/pem"):
		return "net/http and its imports"
	default:
		return "other Go packages"
	}
}

// breakdown attributes a debug core module (built with names) to the
// categories above plus its data section, and the packages with the most
// code, largest first.
func breakdown(debugCore string) (cats []part, pkgs []part) {
	module, err := os.ReadFile(debugCore)
	check(err)
	funcs, data, err := component.CodeSizes(module)
	check(err)
	byCat, byPkg := map[string]int{}, map[string]int{}
	for fn, n := range funcs {
		pkg := component.GoPackage(fn)
		byCat[category(pkg)] += n
		if pkg == "" {
			pkg = "(non-Go helpers)"
		}
		byPkg[pkg] += n
	}
	byCat["data (strings, type info, pclntab)"] = data
	return sorted(byCat), sorted(byPkg)
}

func sorted(m map[string]int) []part {
	var out []part
	for k, v := range m {
		out = append(out, part{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].bytes != out[j].bytes {
			return out[i].bytes > out[j].bytes
		}
		return out[i].name < out[j].name
	})
	return out
}
