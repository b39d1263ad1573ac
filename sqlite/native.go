//go:build !wasip1

package sqlite

import "errors"

func openConn(string) (handle, error) {
	return nil, errors.New("SQLite databases are provided by the Spin host; build for GOOS=wasip1 with componentize-go")
}
