//go:build wasip1

package mysql

import (
	bind "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_mysql"
	rdbms "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_rdbms_types"
)

// This file implements the driver on fermyon:spin/mysql@2.0.0, whose
// functions are synchronous. Both the Spin 4 world (WASI 0.3, the default)
// and the Spin 3 world (WASI 0.2, the spin_wasi02 tag) import it, so one
// implementation serves both builds.

type hostConn struct{ c *bind.Connection }

func openConn(address string) (handle, error) {
	res := bind.ConnectionOpen(address)
	if res.IsErr() {
		return nil, fromHostError(res.Err())
	}
	return &hostConn{c: res.Ok()}, nil
}

func (h *hostConn) query(statement string, params []rdbms.ParameterValue) (rdbms.RowSet, error) {
	res := h.c.Query(statement, params)
	if res.IsErr() {
		return rdbms.RowSet{}, fromHostError(res.Err())
	}
	return res.Ok(), nil
}

func (h *hostConn) execute(statement string, params []rdbms.ParameterValue) error {
	res := h.c.Execute(statement, params)
	if res.IsErr() {
		return fromHostError(res.Err())
	}
	return nil
}

func (h *hostConn) close() { h.c.Drop() }
