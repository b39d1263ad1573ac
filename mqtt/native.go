//go:build !wasip1

package mqtt

import "errors"

// Outside a component there is no host to connect through.
func open(string, string, string, uint64) (conn, error) {
	return nil, errors.New("MQTT connections are made by the Spin host; build for GOOS=wasip1 with componentize-go")
}
