//go:build wasip1

package mqtt

import (
	"errors"
	"fmt"

	witypes "go.bytecodealliance.org/pkg/wit/types"
)

// The package on the host's interface, written once for both versions:
// Spin 4's spin:mqtt/mqtt@3.0.0 (wasi03.go) and Spin 3's
// fermyon:spin/mqtt@2.0.0 (wasi02.go) declare the same connection
// resource, error variant and qos enum (whose case order is QoS's values),
// so their generated bindings are distinct Go types of one shape.

// A variant's tag is the index of its case in the WIT; both versions list
// the cases of error in this order.
const (
	errorInvalidAddress uint8 = iota
	errorTooManyConnections
	errorConnectionFailed
)

// hostError is the error variant of either version.
type hostError interface {
	Tag() uint8
	ConnectionFailed() string
	Other() string
}

// hostConnection is the connection resource of either version, with its
// error (E) and qos (Q) types.
type hostConnection[E hostError, Q ~uint8] interface {
	Publish(topic string, payload []byte, qos Q) witypes.Result[witypes.Unit, E]
	Drop()
}

// hostConn implements conn on a connection resource.
type hostConn[Q ~uint8, C hostConnection[E, Q], E hostError] struct{ c C }

// dial turns the result of connection.open into a conn (Q cannot be
// inferred: name it).
func dial[Q ~uint8, C hostConnection[E, Q], E hostError](r witypes.Result[C, E]) (conn, error) {
	if r.IsErr() {
		return nil, hostErr(r.Err())
	}
	return hostConn[Q, C, E]{r.Ok()}, nil
}

func hostErr(e hostError) error {
	switch e.Tag() {
	case errorInvalidAddress:
		return ErrInvalidAddress
	case errorTooManyConnections:
		return ErrTooManyConnections
	case errorConnectionFailed:
		return fmt.Errorf("%w: %s", ErrConnectionFailed, e.ConnectionFailed())
	}
	return errors.New(e.Other())
}

func (h hostConn[Q, C, E]) publish(topic string, payload []byte, qos QoS) error {
	if payload == nil {
		payload = []byte{}
	}
	if res := h.c.Publish(topic, payload, Q(qos)); res.IsErr() {
		return hostErr(res.Err())
	}
	return nil
}

func (h hostConn[Q, C, E]) close() { h.c.Drop() }
