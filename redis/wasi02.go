//go:build wasip1 && spin_wasi02

package redis

import bind "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_redis"

// Spin 3 (WASI 0.2) builds: the client on fermyon:spin/redis@2.0.0, whose
// calls are synchronous (see bindings.go). Spin 3's Redis trigger is not
// in the worlds spin-go targets: a handler registered with Handle is never
// called.
func open(address string) (conn, error) {
	return dial[bind.RedisResult](bind.ConnectionOpen(address), bind.MakeRedisParameterInt64, bind.MakeRedisParameterBinary)
}
