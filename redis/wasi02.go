//go:build wasip1 && spin_wasi02

package redis

import (
	"os"

	inbound "github.com/spin-go/sdk/exports/fermyon_spin_redis_trigger_3_0_0/export_fermyon_spin_inbound_redis"
	_ "github.com/spin-go/sdk/exports/fermyon_spin_redis_trigger_3_0_0/wit_exports"
	bind "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_redis"
	types "github.com/spin-go/sdk/imports/fermyon_spin_redis_types"
	witypes "go.bytecodealliance.org/pkg/wit/types"
)

// Spin 3 (WASI 0.2) builds: the trigger is the synchronous export
// fermyon:spin/inbound-redis#handle-message (world
// fermyon:spin/redis-trigger@3.0.0), the client fermyon:spin/redis@2.0.0,
// whose calls are synchronous (see bindings.go).

func init() {
	inbound.Exports.HandleMessage = func(message inbound.Payload) witypes.Result[witypes.Unit, inbound.Error] {
		if err := handleMessage(message); err != nil {
			// Spin 3's error is an enum without a message: write the
			// message to the component's log, which Spin keeps.
			os.Stderr.WriteString("redis: handling a message failed: " + err.Error() + "\n")
			return witypes.Err[witypes.Unit](types.ErrorError)
		}
		return witypes.Ok[witypes.Unit, inbound.Error](witypes.Unit{})
	}
}

func open(address string) (conn, error) {
	return dial[bind.RedisResult](bind.ConnectionOpen(address), bind.MakeRedisParameterInt64, bind.MakeRedisParameterBinary)
}
