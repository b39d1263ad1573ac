//go:build !wasip1

package kv

import "errors"

// Outside a component there is no host to hold the stores.
func open(string) (storeImpl, error) {
	return nil, errors.New("key-value stores are provided by the Spin host; build for GOOS=wasip1 with componentize-go")
}
