//go:build wasip1 && spin_wasi02

package redis

import "errors"

// Spin 3 (WASI 0.2) builds: spin-go implements Redis on Spin 4's
// spin:redis@3.0.0 only. A Spin 3 component gets a clear error, and a
// handler registered with Handle is never called (the Spin 3 worlds
// spin-go targets have no Redis trigger).
func open(string) (conn, error) {
	return nil, errors.New("spin-go's redis package needs a Spin 4 (WASI 0.3) build: spin:redis@3.0.0 is not in Spin 3's world")
}
