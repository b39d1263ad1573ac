//go:build wasip1 && spin_wasi02

package mqtt

import "errors"

// Spin 3 (WASI 0.2) builds: spin-go implements MQTT on Spin 4's
// spin:mqtt@3.0.0 only.
func open(string, string, string, uint64) (conn, error) {
	return nil, errors.New("spin-go's mqtt package needs a Spin 4 (WASI 0.3) build: spin:mqtt@3.0.0 is not in Spin 3's world")
}
