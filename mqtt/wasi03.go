//go:build wasip1 && !spin_wasi02

package mqtt

import (
	"errors"
	"fmt"

	bind "github.com/spin-go/sdk/imports/spin_mqtt_3_0_0_mqtt"
)

// This file implements the package on spin:mqtt/mqtt@3.0.0 (Spin 4).

type conn03 struct{ c *bind.Connection }

func open(address, username, password string, keepAliveSecs uint64) (conn, error) {
	res := bind.ConnectionOpen(address, username, password, keepAliveSecs)
	if res.IsErr() {
		return nil, mqttError(res.Err())
	}
	return conn03{res.Ok()}, nil
}

func mqttError(e bind.Error) error {
	switch e.Tag() {
	case bind.ErrorInvalidAddress:
		return ErrInvalidAddress
	case bind.ErrorTooManyConnections:
		return ErrTooManyConnections
	case bind.ErrorConnectionFailed:
		return fmt.Errorf("%w: %s", ErrConnectionFailed, e.ConnectionFailed())
	}
	return errors.New(e.Other())
}

func (c conn03) publish(topic string, payload []byte, qos QoS) error {
	if payload == nil {
		payload = []byte{}
	}
	if res := c.c.Publish(topic, payload, bind.Qos(qos)); res.IsErr() {
		return mqttError(res.Err())
	}
	return nil
}

func (c conn03) close() { c.c.Drop() }
