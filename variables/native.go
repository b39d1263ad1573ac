//go:build !wasip1

package variables

import "errors"

func get(string) (string, error) {
	return "", errors.New("variables are provided by the Spin host; build for GOOS=wasip1 with componentize-go")
}
