//go:build wasip1 && !spin_wasi02

package sqlite

import (
	"errors"
	"io"

	bind "github.com/spin-go/sdk/imports/spin_sqlite_3_1_0_sqlite"
)

// This file implements the driver on spin:sqlite/sqlite@3.1.0, with rows
// streamed by execute-async.

type conn03 struct{ c *bind.Connection }

func openConn(label string) (handle, error) {
	res := bind.ConnectionOpenAsync(label)
	if res.IsErr() {
		return nil, sqliteError(res.Err())
	}
	return &conn03{c: res.Ok()}, nil
}

func sqliteError(e bind.Error) error {
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

func params03(args []any) []bind.Value {
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

func value03(v bind.Value) any {
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

func (c *conn03) exec(query string, args []any) (int64, int64, error) {
	res := c.c.Execute(query, params03(args))
	if res.IsErr() {
		return 0, 0, sqliteError(res.Err())
	}
	return int64(c.c.Changes()), c.c.LastInsertRowid(), nil
}

func (c *conn03) query(query string, args []any) ([]string, func() ([]any, error), func(), error) {
	res := c.c.ExecuteAsync(query, params03(args))
	if res.IsErr() {
		return nil, nil, nil, sqliteError(res.Err())
	}
	t := res.Ok()
	cols, stream, done := t.F0, t.F1, t.F2
	buf := make([]bind.RowResult, 64)
	var pending []bind.RowResult
	next := func() ([]any, error) {
		for len(pending) == 0 {
			if stream.WriterDropped() {
				if r := done.Read(); r.IsErr() {
					return nil, sqliteError(r.Err())
				}
				return nil, io.EOF
			}
			n := stream.Read(buf)
			pending = buf[:n]
		}
		row := pending[0]
		pending = pending[1:]
		out := make([]any, len(row.Values))
		for i, v := range row.Values {
			out[i] = value03(v)
		}
		return out, nil
	}
	closeRows := func() {
		stream.Drop()
		done.Drop()
	}
	return cols, next, closeRows, nil
}

func (c *conn03) close() { c.c.Drop() }
