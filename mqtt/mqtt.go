// Package mqtt publishes messages to an MQTT broker from a Spin component.
// The broker's address ("mqtt://host:port") must be in the component's
// allowed_outbound_hosts.
//
//	conn, err := mqtt.Open("mqtt://127.0.0.1:1883", "user", "password", 30*time.Second)
//	if err != nil { ... }
//	defer conn.Close()
//	err = conn.Publish("telemetry/temperature", []byte("21.5"), mqtt.AtLeastOnce)
//
// It works in Spin 4 (WASI 0.3) builds, on spin:mqtt/mqtt@3.0.0, and in
// Spin 3 (WASI 0.2) builds (-w fermyon:spin/http-trigger@3.0.0), on
// fermyon:spin/mqtt@2.0.0, with the same API and behaviour.
package mqtt

import (
	"errors"
	"fmt"
	"time"
)

// QoS is the delivery guarantee asked of the broker for a message.
type QoS uint8

const (
	AtMostOnce  QoS = iota // QoS 0: fire and forget
	AtLeastOnce            // QoS 1: acknowledged, may be delivered twice
	ExactlyOnce            // QoS 2: delivered once, with a two-step handshake
)

func (q QoS) String() string {
	switch q {
	case AtMostOnce:
		return "at-most-once"
	case AtLeastOnce:
		return "at-least-once"
	case ExactlyOnce:
		return "exactly-once"
	}
	return fmt.Sprintf("QoS(%d)", uint8(q))
}

// Errors the host reports (wrapped with the operation and address).
var (
	ErrInvalidAddress     = errors.New("invalid address (or not in the component's allowed_outbound_hosts)")
	ErrTooManyConnections = errors.New("too many connections")
	// ErrConnectionFailed wraps the broker's or network's reason.
	ErrConnectionFailed = errors.New("connection failed")
)

// Conn is an open session with a broker.
type Conn struct {
	address string
	c       conn
}

// conn is what the WASI-version specific code provides.
type conn interface {
	publish(topic string, payload []byte, qos QoS) error
	close()
}

// Open connects to the broker at address (mqtt://host:port) with the given
// credentials (empty for none) and keep-alive interval (whole seconds).
func Open(address, username, password string, keepAlive time.Duration) (*Conn, error) {
	if keepAlive < 0 {
		return nil, fmt.Errorf("mqtt: keep-alive %v is negative", keepAlive)
	}
	c, err := open(address, username, password, uint64(keepAlive/time.Second))
	if err != nil {
		return nil, fmt.Errorf("mqtt: connecting to %s: %w", address, err)
	}
	return &Conn{address: address, c: c}, nil
}

// Publish sends payload to topic with the given QoS.
func (c *Conn) Publish(topic string, payload []byte, qos QoS) error {
	if qos > ExactlyOnce {
		return fmt.Errorf("mqtt: publishing to %s: %v is not a QoS level (0, 1 or 2)", topic, qos)
	}
	if c.c == nil {
		return fmt.Errorf("mqtt: publishing to %s on %s: the connection is closed", topic, c.address)
	}
	if err := c.c.publish(topic, payload, qos); err != nil {
		return fmt.Errorf("mqtt: publishing to %s on %s: %w", topic, c.address, err)
	}
	return nil
}

// Close ends the session.
func (c *Conn) Close() error {
	if c.c != nil {
		c.c.close()
		c.c = nil
	}
	return nil
}
