package e2e

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/testserver"
	"github.com/spin-go/sdk/spintest"
)

// TestMQTTPublish publishes with each QoS from a component; a real
// subscriber (mosquitto_sub) receives the messages. A denied address and a
// broker that is down are errors naming the address. On Spin 4
// (spin:mqtt/mqtt@3.0.0) and Spin 3 (fermyon:spin/mqtt@2.0.0).
func TestMQTTPublish(t *testing.T) {
	eachVersion(t, testMQTTPublish)
}

func testMQTTPublish(t *testing.T, opts spintest.UpOptions) {
	broker := testserver.Mosquitto(t)
	dir := oneComponentApp(t, "mqttapp", fmt.Sprintf("allowed_outbound_hosts = [%[1]q, \"mqtt://127.0.0.1:1\"]\nenvironment = { MQTT_URL = %[1]q }", broker.URL))
	app := spintest.Up(t, dir, opts)

	wait := testserver.Subscribe(t, broker, "spin/#", 3)
	for qos, msg := range []string{"zero", "one", "two"} {
		resp, body := app.Get(t, fmt.Sprintf("/?topic=spin/qos%d&message=%s&qos=%d", qos, msg, qos))
		require.Equal(t, 200, resp.StatusCode, body)
	}
	got, err := wait(10 * time.Second)
	require.NoError(t, err, app.Output())
	assert.ElementsMatch(t, []string{"spin/qos0 zero", "spin/qos1 one", "spin/qos2 two"}, got)

	resp, body := app.Get(t, "/?topic=t&qos=1&address="+url.QueryEscape("mqtt://127.0.0.1:9"))
	assert.Equal(t, 502, resp.StatusCode)
	assert.Contains(t, body, "invalid=true mqtt: connecting to mqtt://127.0.0.1:9")

	resp, body = app.Get(t, "/?topic=t&qos=1&address="+url.QueryEscape("mqtt://127.0.0.1:1"))
	assert.Equal(t, 502, resp.StatusCode)
	assert.Contains(t, body, "invalid=false mqtt: connecting to mqtt://127.0.0.1:1: connection failed")

	resp, body = app.Get(t, "/?topic=t&qos=7")
	assert.Equal(t, 502, resp.StatusCode)
	assert.Contains(t, body, "QoS(7) is not a QoS level")
}
