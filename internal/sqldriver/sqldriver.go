// Package sqldriver is the database/sql plumbing the SDK's drivers (sqlite,
// mysql, pg) share: statements that are only their text, transactions
// ended by COMMIT or ROLLBACK, a connector for one data source name, rows
// streamed from a host, and the reduction of a parameter whose type is
// defined on a basic kind. What differs between the drivers (parameter and
// column types, error wrapping, the SQL that begins a transaction) stays in
// each driver.
package sqldriver

import (
	"context"
	"database/sql/driver"
	"io"
	"reflect"
)

// Conn is what Stmt and Tx need of a driver's connection.
type Conn interface {
	ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error)
	QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error)
}

// Stmt is a prepared statement that is only its text: every call runs the
// query on its connection, which binds the arguments.
type Stmt struct {
	Conn Conn
	SQL  string
}

// Close does nothing: nothing was prepared on the host.
func (s *Stmt) Close() error { return nil }

// NumInput is -1: the driver does not count the placeholders.
func (s *Stmt) NumInput() int { return -1 }

// Exec runs the statement with positional arguments.
func (s *Stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.Conn.ExecContext(context.Background(), s.SQL, Named(args))
}

// Query runs the statement with positional arguments.
func (s *Stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.Conn.QueryContext(context.Background(), s.SQL, Named(args))
}

// ExecContext runs the statement on its connection.
func (s *Stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.Conn.ExecContext(ctx, s.SQL, args)
}

// QueryContext runs the statement on its connection.
func (s *Stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.Conn.QueryContext(ctx, s.SQL, args)
}

// CheckNamedValue is the connection's, when it has one; otherwise
// database/sql's default conversion applies (driver.ErrSkip).
func (s *Stmt) CheckNamedValue(nv *driver.NamedValue) error {
	if c, ok := s.Conn.(driver.NamedValueChecker); ok {
		return c.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// Named numbers positional arguments from 1.
func Named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}

// Tx is a transaction the driver began on Conn; it ends with COMMIT or
// ROLLBACK run on the same connection.
type Tx struct{ Conn Conn }

// Commit runs COMMIT.
func (t Tx) Commit() error { return t.end("COMMIT") }

// Rollback runs ROLLBACK.
func (t Tx) Rollback() error { return t.end("ROLLBACK") }

func (t Tx) end(statement string) error {
	_, err := t.Conn.ExecContext(context.Background(), statement, nil)
	return err
}

// NewConnector returns the connector of drv for one data source name:
// Connect fails with the context's error when it is done, and otherwise
// returns open(name).
func NewConnector(drv driver.Driver, name string, open func(name string) (driver.Conn, error)) driver.Connector {
	return connector{drv: drv, name: name, open: open}
}

type connector struct {
	drv  driver.Driver
	name string
	open func(string) (driver.Conn, error)
}

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.open(c.name)
}

func (c connector) Driver() driver.Driver { return c.drv }

// Rows are result rows a host streams. The context is checked before
// every row; the stream is released once, at its end, on an error or on
// Close.
type Rows struct {
	ctx   context.Context
	names []string
	next  func() ([]any, error)
	close func()
	fail  func(error) error
	done  bool
}

// NewRows returns rows with the given column names over a host's stream:
// next returns the next row's values (io.EOF after the last row), release
// frees the stream, and fail gives a host error the driver's context.
func NewRows(ctx context.Context, names []string, next func() ([]any, error), release func(), fail func(error) error) *Rows {
	return &Rows{ctx: ctx, names: names, next: next, close: release, fail: fail}
}

// Columns returns the column names.
func (r *Rows) Columns() []string { return r.names }

// Close releases the stream (once).
func (r *Rows) Close() error {
	if !r.done {
		r.done = true
		r.close()
	}
	return nil
}

// Next reads the next row into dest; a column the row lacks is nil.
func (r *Rows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	if err := r.ctx.Err(); err != nil {
		r.Close()
		return err
	}
	row, err := r.next()
	if err != nil {
		r.Close()
		if err == io.EOF {
			return io.EOF
		}
		return r.fail(err)
	}
	for i := range dest {
		dest[i] = nil
		if i < len(row) {
			dest[i] = row[i]
		}
	}
	return nil
}

// ValuerType is the type of driver.Valuer, for Implements.
var ValuerType = reflect.TypeFor[driver.Valuer]()

// Basic reduces a value whose type is defined on a basic kind (type Age
// int32, type Name string, type Raw []byte) to the predeclared type of that
// kind: bool, int8, int16, int32, int64 (for int and int64 kinds), uint8,
// uint16, uint32, uint64 (for uint and uint64 kinds), float32, float64,
// string or []byte. ok is false for any other kind (uintptr included).
func Basic(rv reflect.Value) (v any, ok bool) {
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool(), true
	case reflect.Int8:
		return int8(rv.Int()), true
	case reflect.Int16:
		return int16(rv.Int()), true
	case reflect.Int32:
		return int32(rv.Int()), true
	case reflect.Int, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint8:
		return uint8(rv.Uint()), true
	case reflect.Uint16:
		return uint16(rv.Uint()), true
	case reflect.Uint32:
		return uint32(rv.Uint()), true
	case reflect.Uint, reflect.Uint64:
		return rv.Uint(), true
	case reflect.Float32:
		return float32(rv.Float()), true
	case reflect.Float64:
		return rv.Float(), true
	case reflect.String:
		return rv.String(), true
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return rv.Bytes(), true
		}
	}
	return nil, false
}

var (
	_ driver.Stmt              = (*Stmt)(nil)
	_ driver.StmtExecContext   = (*Stmt)(nil)
	_ driver.StmtQueryContext  = (*Stmt)(nil)
	_ driver.NamedValueChecker = (*Stmt)(nil)
	_ driver.Tx                = Tx{}
	_ driver.Connector         = connector{}
	_ driver.Rows              = (*Rows)(nil)
)
