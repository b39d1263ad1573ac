//go:build wasip1 && !spin_wasi02

package redis

import (
	"errors"

	inbound "github.com/spin-go/sdk/exports/spin_up_redis_trigger_4_0_0/export_spin_redis_3_0_0_inbound_redis"
	_ "github.com/spin-go/sdk/exports/spin_up_redis_trigger_4_0_0/wit_exports"
	bind "github.com/spin-go/sdk/imports/spin_redis_3_0_0_redis"
	witypes "go.bytecodealliance.org/pkg/wit/types"
)

// This file implements the package on spin:redis@3.0.0 (Spin 4): the
// trigger is the async export inbound-redis#handle-message, the client the
// async connection resource.

func init() {
	inbound.Exports.HandleMessage = func(message inbound.Payload) witypes.Result[witypes.Unit, inbound.Error] {
		if err := handleMessage(message); err != nil {
			// The host logs the message of `other`; keep it whole.
			return witypes.Err[witypes.Unit](bind.MakeErrorOther(err.Error()))
		}
		return witypes.Ok[witypes.Unit, inbound.Error](witypes.Unit{})
	}
}

type conn03 struct{ c *bind.Connection }

func open(address string) (conn, error) {
	res := bind.ConnectionOpen(address)
	if res.IsErr() {
		return nil, redisError(res.Err())
	}
	return conn03{res.Ok()}, nil
}

func redisError(e bind.Error) error {
	switch e.Tag() {
	case bind.ErrorInvalidAddress:
		return ErrInvalidAddress
	case bind.ErrorTooManyConnections:
		return ErrTooManyConnections
	case bind.ErrorTypeError:
		return ErrWrongType
	}
	return errors.New(e.Other())
}

// unit turns a result without a value into an error.
func unit(r witypes.Result[witypes.Unit, bind.Error]) error {
	if r.IsErr() {
		return redisError(r.Err())
	}
	return nil
}

// count turns a u32 count result into an int.
func count(r witypes.Result[uint32, bind.Error]) (int, error) {
	if r.IsErr() {
		return 0, redisError(r.Err())
	}
	return int(r.Ok()), nil
}

func (c conn03) publish(channel string, payload []byte) error {
	return unit(c.c.Publish(channel, nonNil(payload)))
}

func (c conn03) get(key string) ([]byte, bool, error) {
	r := c.c.Get(key)
	if r.IsErr() {
		return nil, false, redisError(r.Err())
	}
	if r.Ok().IsNone() {
		return nil, false, nil
	}
	return r.Ok().Some(), true, nil
}

func (c conn03) set(key string, value []byte) error { return unit(c.c.Set(key, nonNil(value))) }

func (c conn03) incr(key string) (int64, error) {
	r := c.c.Incr(key)
	if r.IsErr() {
		return 0, redisError(r.Err())
	}
	return r.Ok(), nil
}

func (c conn03) del(keys []string) (int, error) { return count(c.c.Del(keys)) }

func (c conn03) sadd(key string, values []string) (int, error) { return count(c.c.Sadd(key, values)) }

func (c conn03) srem(key string, values []string) (int, error) { return count(c.c.Srem(key, values)) }

func (c conn03) smembers(key string) ([]string, error) {
	r := c.c.Smembers(key)
	if r.IsErr() {
		return nil, redisError(r.Err())
	}
	return r.Ok(), nil
}

func (c conn03) execute(command string, args []Arg) ([]Result, error) {
	params := make([]bind.RedisParameter, len(args))
	for i, a := range args {
		if a.IsInt {
			params[i] = bind.MakeRedisParameterInt64(a.Int)
		} else {
			params[i] = bind.MakeRedisParameterBinary(nonNil(a.Bytes))
		}
	}
	r := c.c.Execute(command, params)
	if r.IsErr() {
		return nil, redisError(r.Err())
	}
	out := make([]Result, len(r.Ok()))
	for i, v := range r.Ok() {
		switch v.Tag() {
		case bind.RedisResultStatus:
			out[i] = Result{Kind: Status, Status: v.Status()}
		case bind.RedisResultInt64:
			out[i] = Result{Kind: Int, Int: v.Int64()}
		case bind.RedisResultBinary:
			out[i] = Result{Kind: Binary, Bytes: v.Binary()}
		default:
			out[i] = Result{Kind: Nil}
		}
	}
	return out, nil
}

func (c conn03) close() { c.c.Drop() }

// nonNil: the generated lowering treats a nil slice as an empty list, but
// keep payloads explicit.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
