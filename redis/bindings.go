//go:build wasip1

package redis

import (
	"errors"

	witypes "go.bytecodealliance.org/pkg/wit/types"
)

// The client on the host's interface, written once for both versions:
// Spin 4's spin:redis/redis@3.0.0 (wasi03.go) and Spin 3's
// fermyon:spin/redis@2.0.0 (wasi02.go) declare the same connection
// resource and variants, so their generated bindings are distinct Go types
// of one shape. Each file only instantiates hostConn with its own.

// A variant's tag is the index of its case in the WIT; both versions list
// the cases of error and redis-result in this order.
const (
	errorInvalidAddress uint8 = iota
	errorTooManyConnections
	errorTypeError
)

const (
	resultStatus uint8 = iota + 1 // (0 is nil)
	resultInt64
	resultBinary
)

// hostError is the error variant of either version.
type hostError interface {
	Tag() uint8
	Other() string
}

// hostResult is the redis-result variant of either version.
type hostResult interface {
	Tag() uint8
	Status() string
	Int64() int64
	Binary() []byte
}

// hostConnection is the connection resource of either version, with its
// error (E), redis-parameter (P) and redis-result (R) types.
type hostConnection[E hostError, P any, R hostResult] interface {
	Publish(channel string, payload []byte) witypes.Result[witypes.Unit, E]
	Get(key string) witypes.Result[witypes.Option[[]byte], E]
	Set(key string, value []byte) witypes.Result[witypes.Unit, E]
	Incr(key string) witypes.Result[int64, E]
	Del(keys []string) witypes.Result[uint32, E]
	Sadd(key string, values []string) witypes.Result[uint32, E]
	Smembers(key string) witypes.Result[[]string, E]
	Srem(key string, values []string) witypes.Result[uint32, E]
	Execute(command string, arguments []P) witypes.Result[[]R, E]
	Drop()
}

// hostConn implements conn on a connection resource; intArg and binArg
// make the redis-parameter cases.
type hostConn[R hostResult, C hostConnection[E, P, R], E hostError, P any] struct {
	c      C
	intArg func(int64) P
	binArg func([]byte) P
}

// dial turns the result of connection.open into a conn (R cannot be
// inferred: name it).
func dial[R hostResult, C hostConnection[E, P, R], E hostError, P any](r witypes.Result[C, E], intArg func(int64) P, binArg func([]byte) P) (conn, error) {
	c, err := unwrap(r)
	if err != nil {
		return nil, err
	}
	return hostConn[R, C, E, P]{c, intArg, binArg}, nil
}

func hostErr(e hostError) error {
	switch e.Tag() {
	case errorInvalidAddress:
		return ErrInvalidAddress
	case errorTooManyConnections:
		return ErrTooManyConnections
	case errorTypeError:
		return ErrWrongType
	}
	return errors.New(e.Other())
}

// unwrap turns a result into Go's value and error.
func unwrap[T any, E hostError](r witypes.Result[T, E]) (T, error) {
	if r.IsErr() {
		var zero T
		return zero, hostErr(r.Err())
	}
	return r.Ok(), nil
}

// count turns a u32 count result into an int.
func count[E hostError](r witypes.Result[uint32, E]) (int, error) {
	n, err := unwrap(r)
	return int(n), err
}

func (h hostConn[R, C, E, P]) publish(channel string, payload []byte) error {
	_, err := unwrap(h.c.Publish(channel, nonNil(payload)))
	return err
}

func (h hostConn[R, C, E, P]) get(key string) ([]byte, bool, error) {
	v, err := unwrap(h.c.Get(key))
	if err != nil || v.IsNone() {
		return nil, false, err
	}
	return v.Some(), true, nil
}

func (h hostConn[R, C, E, P]) set(key string, value []byte) error {
	_, err := unwrap(h.c.Set(key, nonNil(value)))
	return err
}

func (h hostConn[R, C, E, P]) incr(key string) (int64, error) { return unwrap(h.c.Incr(key)) }

func (h hostConn[R, C, E, P]) del(keys []string) (int, error) { return count(h.c.Del(keys)) }

func (h hostConn[R, C, E, P]) sadd(key string, values []string) (int, error) {
	return count(h.c.Sadd(key, values))
}

func (h hostConn[R, C, E, P]) srem(key string, values []string) (int, error) {
	return count(h.c.Srem(key, values))
}

func (h hostConn[R, C, E, P]) smembers(key string) ([]string, error) {
	return unwrap(h.c.Smembers(key))
}

func (h hostConn[R, C, E, P]) execute(command string, args []Arg) ([]Result, error) {
	params := make([]P, len(args))
	for i, a := range args {
		if a.IsInt {
			params[i] = h.intArg(a.Int)
		} else {
			params[i] = h.binArg(nonNil(a.Bytes))
		}
	}
	res, err := unwrap(h.c.Execute(command, params))
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(res))
	for i, v := range res {
		switch v.Tag() {
		case resultStatus:
			out[i] = Result{Kind: Status, Status: v.Status()}
		case resultInt64:
			out[i] = Result{Kind: Int, Int: v.Int64()}
		case resultBinary:
			out[i] = Result{Kind: Binary, Bytes: v.Binary()}
		default:
			out[i] = Result{Kind: Nil}
		}
	}
	return out, nil
}

func (h hostConn[R, C, E, P]) close() { h.c.Drop() }

// nonNil: the generated lowering treats a nil slice as an empty list, but
// keep payloads explicit.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
