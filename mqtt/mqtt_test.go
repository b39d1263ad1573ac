package mqtt

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestQoSMatchesTheWIT(t *testing.T) {
	// The enum's case order in spin:mqtt@3.0.0 and fermyon:spin/mqtt@2.0.0
	// is the wire value.
	assert.Equal(t, []string{"at-most-once", "at-least-once", "exactly-once", "QoS(3)"},
		[]string{AtMostOnce.String(), AtLeastOnce.String(), ExactlyOnce.String(), QoS(3).String()})
}

func TestErrors(t *testing.T) {
	_, err := Open("mqtt://127.0.0.1:1883", "", "", -time.Second)
	assert.EqualError(t, err, "mqtt: keep-alive -1s is negative")
	_, err = Open("mqtt://127.0.0.1:1883", "", "", time.Minute)
	assert.ErrorContains(t, err, "mqtt: connecting to mqtt://127.0.0.1:1883: MQTT connections are made by the Spin host")
	c := &Conn{address: "mqtt://x"}
	assert.EqualError(t, c.Publish("t", nil, 3), "mqtt: publishing to t: QoS(3) is not a QoS level (0, 1 or 2)")
	assert.EqualError(t, c.Publish("t", nil, AtMostOnce), "mqtt: publishing to t on mqtt://x: the connection is closed")
}
