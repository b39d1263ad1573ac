//go:build wasip1 && !spin_wasi02

package mqtt

import bind "github.com/spin-go/sdk/imports/spin_mqtt_3_0_0_mqtt"

// This file implements the package on spin:mqtt/mqtt@3.0.0 (Spin 4), whose
// calls are async (see bindings.go).
func open(address, username, password string, keepAliveSecs uint64) (conn, error) {
	return dial[bind.Qos](bind.ConnectionOpen(address, username, password, keepAliveSecs))
}
