package wit_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/spin-go/sdk/internal/wit"
)

// FuzzLoad resolves arbitrary single-file WIT. It must never panic, and any
// world that resolves must print as WIT that resolves to the same text.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("../../wit/deps/*.wit")
	files = append(files, "../../wit/spin-up.wit")
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(string(src))
		}
	}
	f.Add("package t:t;\ninterface i { resource r { constructor(); m: func() -> r; } }\nworld w { import i; export f: async func(x: stream<u8>) -> future<string>; }")
	f.Fuzz(func(t *testing.T, src string) {
		r, err := wit.LoadSource(map[string]string{"fuzz.wit": src}, wit.Options{AllFeatures: true})
		if err != nil {
			return
		}
		for _, p := range r.Packages {
			for _, w := range p.Worlds {
				text := wit.Printer{Docs: true}.World(w)
				r2, err := wit.LoadSource(map[string]string{"printed.wit": text}, wit.Options{AllFeatures: true})
				if err != nil {
					t.Fatalf("printed world %s does not resolve: %v\n%s", w.ID(), err, text)
				}
				w2, err := r2.World(w.ID())
				if err != nil {
					t.Fatal(err)
				}
				if again := (wit.Printer{Docs: true}).World(w2); again != text {
					t.Fatalf("world %s prints differently after a round trip:\n%s\n---\n%s", w.ID(), text, again)
				}
			}
		}
	})
}
