//go:build wasip1 && spin_wasi02

package sqlite

import (
	"errors"
	"io"

	bind "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_sqlite"
)

// This file implements the driver on fermyon:spin/sqlite@2.0.0 (Spin 3):
// results arrive whole, and the last insert id and change count are read
// with SQLite's own functions on the same connection.

type conn02 struct{ c *bind.Connection }

func openConn(label string) (handle, error) {
	res := bind.ConnectionOpen(label)
	if res.IsErr() {
		return nil, sqliteError02(res.Err())
	}
	return &conn02{c: res.Ok()}, nil
}

func sqliteError02(e bind.Error) error {
	switch e.Tag() {
	case bind.ErrorNoSuchDatabase:
		return ErrNoSuchDatabase
	case bind.ErrorAccessDenied:
		return ErrAccessDenied
	case bind.ErrorInvalidConnection:
		return ErrInvalidConnection
	case bind.ErrorDatabaseFull:
		return ErrDatabaseFull
	}
	return errors.New(e.Io())
}

func params02(args []any) []bind.Value {
	out := make([]bind.Value, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case nil:
			out[i] = bind.MakeValueNull()
		case int64:
			out[i] = bind.MakeValueInteger(v)
		case float64:
			out[i] = bind.MakeValueReal(v)
		case string:
			out[i] = bind.MakeValueText(v)
		case []byte:
			if v == nil {
				v = []byte{}
			}
			out[i] = bind.MakeValueBlob(v)
		}
	}
	return out
}

func value02(v bind.Value) any {
	switch v.Tag() {
	case bind.ValueInteger:
		return v.Integer()
	case bind.ValueReal:
		return v.Real()
	case bind.ValueText:
		return v.Text()
	case bind.ValueBlob:
		return v.Blob()
	}
	return nil
}

func (c *conn02) run(query string, args []any) (bind.QueryResult, error) {
	res := c.c.Execute(query, params02(args))
	if res.IsErr() {
		return bind.QueryResult{}, sqliteError02(res.Err())
	}
	return res.Ok(), nil
}

func (c *conn02) exec(query string, args []any) (int64, int64, error) {
	if _, err := c.run(query, args); err != nil {
		return 0, 0, err
	}
	res, err := c.run("SELECT changes(), last_insert_rowid()", nil)
	if err != nil || len(res.Rows) != 1 || len(res.Rows[0].Values) != 2 {
		return 0, 0, err
	}
	changes, _ := value02(res.Rows[0].Values[0]).(int64)
	last, _ := value02(res.Rows[0].Values[1]).(int64)
	return changes, last, nil
}

func (c *conn02) query(query string, args []any) ([]string, func() ([]any, error), func(), error) {
	res, err := c.run(query, args)
	if err != nil {
		return nil, nil, nil, err
	}
	i := 0
	next := func() ([]any, error) {
		if i >= len(res.Rows) {
			return nil, io.EOF
		}
		row := res.Rows[i]
		i++
		out := make([]any, len(row.Values))
		for j, v := range row.Values {
			out[j] = value02(v)
		}
		return out, nil
	}
	return res.Columns, next, func() {}, nil
}

func (c *conn02) close() { c.c.Drop() }
