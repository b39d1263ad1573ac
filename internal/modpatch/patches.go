package modpatch

import "github.com/spin-go/sdk/internal/stdpatch"

// PkgModule is the module of the runtime support that generated bindings
// import.
const PkgModule = "go.bytecodealliance.org/pkg"

// Patches are the rewrites componentize-go applies to dependencies.
var Patches = []Patch{
	{
		Module: PkgModule,
		Patch: stdpatch.Patch{
			Dir: "wit/runtime",
			Why: `cabi_realloc's two panics format their message with fmt.Sprintf, and every
component exports cabi_realloc: that alone links fmt, reflect, os, poll and
syscall (about 700 kB) into a program that uses none of them, like a hello
world written against the bindings. strconv gives the same message (%v of an
unsigned integer is its decimal digits).`,
			Edits: []stdpatch.Edit{{
				File: "runtime.go", Old: "\t\"fmt\"\n", New: "\t\"strconv\"\n",
			}, {
				File: "runtime.go",
				Old:  `panic(fmt.Sprintf("size %v is not compatible with alignment %v", size, align))`,
				New:  `panic("size " + strconv.FormatUint(uint64(size), 10) + " is not compatible with alignment " + strconv.FormatUint(uint64(align), 10))`,
			}, {
				File: "runtime.go",
				Old:  `panic(fmt.Sprintf("unsupported alignment: %v", align))`,
				New:  `panic("unsupported alignment: " + strconv.FormatUint(uint64(align), 10))`,
			}},
			Verified: []string{"93703e308efc410e", "f4de970ac1c2ce7e"}, // v0.2.1, v0.2.3
		},
	},
	{
		Module: PkgModule,
		Patch: stdpatch.Patch{
			Dir: "wit/async",
			Why: `As above: two panics on a subtask status the canonical ABI does not define.`,
			Edits: []stdpatch.Edit{{
				File: "async.go", Old: "\t\"fmt\"\n", New: "\t\"strconv\"\n",
			}, {
				File: "async.go",
				Old:  `panic(fmt.Sprintf("unexpected subtask status: %v", event2))`,
				New:  `panic("unexpected subtask status: " + strconv.FormatUint(uint64(event2), 10))`,
			}, {
				File: "async.go",
				Old:  `panic(fmt.Sprintf("unexpected subtask status: %v", status))`,
				New:  `panic("unexpected subtask status: " + strconv.FormatUint(uint64(status), 10))`,
			}},
			Verified: []string{"98c79239fa08b94b"}, // v0.2.1 to v0.2.3
		},
	},
}
