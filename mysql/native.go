//go:build !wasip1

package mysql

// Outside a Spin host there is no MySQL interface: every connection fails
// with ErrNoHost, so code using the package compiles and its handlers can
// be unit tested natively.
func openConn(string) (handle, error) { return nil, ErrNoHost }
