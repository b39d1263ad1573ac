//go:build wasip1 && spin_wasi02

package pg

import "errors"

// errNeedsSpin4 is the error of every connection in a Spin 3 (WASI 0.2)
// build: this package is written for spin:postgres/postgres@4.2.0, which
// only Spin 4 (WASI 0.3) worlds import. Spin 3's fermyon:spin/postgres@2.0.0
// is not implemented by this package.
var errNeedsSpin4 = errors.New("pg: spin:postgres/postgres@4.2.0 needs a Spin 4 (WASI 0.3) build; this is a Spin 3 (WASI 0.2, spin_wasi02) build, and the package does not implement Spin 3's fermyon:spin/postgres@2.0.0")

func openConn(string) (handle, error) { return nil, errNeedsSpin4 }
