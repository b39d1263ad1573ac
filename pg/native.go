//go:build !wasip1

package pg

// Outside a Spin component there is no host: the package compiles so that
// handlers can be unit tested natively, and every connection fails with
// ErrNoHost.
func openConn(string) (handle, error) { return nil, ErrNoHost }

// hostParam accepts every parameter paramValue returns, as the Spin 4
// build does.
func hostParam(int, any, any) error { return nil }
