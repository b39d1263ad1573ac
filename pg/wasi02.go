//go:build wasip1 && spin_wasi02

package pg

import bind "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_postgres"

// This file implements the driver on Spin 3's fermyon:spin/postgres@2.0.0:
// synchronous functions, rdbms-types values (see spin3.go) and rows that
// the host returns whole.

type conn02 struct{ c *bind.Connection }

func openConn(address string) (handle, error) {
	res := bind.ConnectionOpen(address)
	if res.IsErr() {
		return nil, hostErr02(res.Err())
	}
	return &conn02{c: res.Ok()}, nil
}

// hostParam refuses the parameters the interface cannot carry.
func hostParam(n int, orig, v any) error { return spin3Param(n, orig, v) }

func (c *conn02) exec(query string, args []any) (int64, error) {
	params, err := params02(args)
	if err != nil {
		return 0, err
	}
	res := c.c.Execute(query, params)
	if res.IsErr() {
		return 0, hostErr02(res.Err())
	}
	return int64(res.Ok()), nil
}

func (c *conn02) query(query string, args []any) (*hostRows, error) {
	params, err := params02(args)
	if err != nil {
		return nil, err
	}
	res := c.c.Query(query, params)
	if res.IsErr() {
		return nil, hostErr02(res.Err())
	}
	return rows02(res.Ok()), nil
}

func (c *conn02) close() { c.c.Drop() }
