//go:build wasip1 && !spin_wasi02

package redis

import (
	inbound "github.com/spin-go/sdk/exports/spin_up_redis_trigger_4_0_0/export_spin_redis_3_0_0_inbound_redis"
	_ "github.com/spin-go/sdk/exports/spin_up_redis_trigger_4_0_0/wit_exports"
	bind "github.com/spin-go/sdk/imports/spin_redis_3_0_0_redis"
	witypes "go.bytecodealliance.org/pkg/wit/types"
)

// This file implements the package on spin:redis@3.0.0 (Spin 4): the
// trigger is the async export inbound-redis#handle-message, the client the
// async connection resource (see bindings.go).

func init() {
	inbound.Exports.HandleMessage = func(message inbound.Payload) witypes.Result[witypes.Unit, inbound.Error] {
		if err := handleMessage(message); err != nil {
			// The host logs the message of `other`; keep it whole.
			return witypes.Err[witypes.Unit](bind.MakeErrorOther(err.Error()))
		}
		return witypes.Ok[witypes.Unit, inbound.Error](witypes.Unit{})
	}
}

func open(address string) (conn, error) {
	return dial[bind.RedisResult](bind.ConnectionOpen(address), bind.MakeRedisParameterInt64, bind.MakeRedisParameterBinary)
}
