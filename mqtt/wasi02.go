//go:build wasip1 && spin_wasi02

package mqtt

import bind "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_mqtt"

// Spin 3 (WASI 0.2) builds: the package on fermyon:spin/mqtt@2.0.0, whose
// calls are synchronous (see bindings.go).
func open(address, username, password string, keepAliveSecs uint64) (conn, error) {
	return dial[bind.Qos](bind.ConnectionOpen(address, username, password, keepAliveSecs))
}
