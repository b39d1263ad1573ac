package syntax

import (
	"os"
	"path/filepath"
	"testing"
)

// seedCorpus adds every .wit file under dir to the fuzzer's seeds.
func seedCorpus(f *testing.F, dir string) {
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".wit" {
			return err
		}
		src, err := os.ReadFile(path)
		if err == nil {
			f.Add(src)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
}

// FuzzParse checks that the parser never panics or hangs, and that every
// error it reports carries a position inside the input.
func FuzzParse(f *testing.F) {
	seedCorpus(f, "../../../wit")
	for _, s := range []string{"", "package a:b;", "/* /* */", "package a:b@1.0.0-rc.1 { interface i { } }", "world w { import a:b/c@1.0.0; }", "\"\\u{110000}\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		_, err := Parse("fuzz.wit", src)
		if err == nil {
			return
		}
		perr, ok := err.(*Error)
		if !ok {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if perr.Pos.Line < 1 || perr.Pos.Col < 1 || perr.Pos.Offset > len(src) {
			t.Fatalf("error position %v out of range for %d bytes: %v", perr.Pos, len(src), err)
		}
	})
}
