//go:build !wasip1

package redis

import "errors"

// Outside a component there is no host to connect through, and no trigger
// calls the handler (tests can call it through their own code).
func open(string) (conn, error) {
	return nil, errors.New("Redis connections are made by the Spin host; build for GOOS=wasip1 with componentize-go")
}
