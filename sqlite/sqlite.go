// Package sqlite is a database/sql driver for the SQLite databases Spin
// gives a component (the labels in its sqlite_databases).
//
//	db := sqlite.Open("default")
//	defer db.Close()
//	_, err := db.Exec("INSERT INTO pets (name, age) VALUES (?, ?)", "Rover", 3)
//	rows, err := db.Query("SELECT name, age FROM pets")
//
// Parameters and columns may be any SQLite type: integers (int64), reals
// (float64), text (string), blobs ([]byte) and NULL (nil); bools are stored
// as 0/1 and time.Time as RFC 3339 text. Rows stream from the host as they
// are read. Transactions run on one connection (BEGIN/COMMIT/ROLLBACK).
// The driver is also registered as "spin-sqlite" for sql.Open.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/spin-go/sdk/internal/sqldriver"
)

// DriverName is the name the driver is registered under.
const DriverName = "spin-sqlite"

func init() { sql.Register(DriverName, Driver{}) }

// Open returns a *sql.DB for the database with the given label.
func Open(label string) *sql.DB { return sql.OpenDB(connector(label)) }

// Driver implements driver.Driver; the data source name is the label.
type Driver struct{}

// Open opens a connection to the labelled database.
func (Driver) Open(label string) (driver.Conn, error) {
	return connector(label).Connect(context.Background())
}

func connector(label string) driver.Connector {
	return sqldriver.NewConnector(Driver{}, label, connect)
}

func connect(label string) (driver.Conn, error) {
	h, err := openConn(label)
	if err != nil {
		return nil, fmt.Errorf("sqlite: opening database %q: %w", label, err)
	}
	return &conn{h: h, label: label}, nil
}

// Errors the host reports (wrapped with the database label).
var (
	ErrNoSuchDatabase    = errors.New("no such database")
	ErrAccessDenied      = errors.New("access denied: the label is not in the component's sqlite_databases")
	ErrInvalidConnection = errors.New("invalid connection")
	ErrDatabaseFull      = errors.New("database full")
)

// handle is what the WASI-version specific code provides for one host
// connection.
type handle interface {
	exec(query string, args []any) (changes, lastID int64, err error)
	query(query string, args []any) (columns []string, next func() ([]any, error), closeRows func(), err error)
	close()
}

type conn struct {
	h     handle
	label string
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return &sqldriver.Stmt{Conn: c, SQL: query}, nil
}

func (c *conn) Close() error {
	c.h.close()
	return nil
}

func (c *conn) Begin() (driver.Tx, error) { return c.BeginTx(context.Background(), driver.TxOptions{}) }

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts.ReadOnly {
		return nil, errors.New("sqlite: read-only transactions are not supported")
	}
	if _, err := c.ExecContext(ctx, "BEGIN", nil); err != nil {
		return nil, err
	}
	return sqldriver.Tx{Conn: c}, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params, err := values(args)
	if err != nil {
		return nil, err
	}
	changes, last, err := c.h.exec(query, params)
	if err != nil {
		return nil, c.fail(err)
	}
	return result{changes: changes, last: last}, nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params, err := values(args)
	if err != nil {
		return nil, err
	}
	cols, next, closeRows, err := c.h.query(query, params)
	if err != nil {
		return nil, c.fail(err)
	}
	return sqldriver.NewRows(ctx, cols, next, closeRows, c.fail), nil
}

// fail names the database in a host error.
func (c *conn) fail(err error) error { return fmt.Errorf("sqlite: %s: %w", c.label, err) }

// values converts arguments to SQLite's types.
func values(args []driver.NamedValue) ([]any, error) {
	out := make([]any, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, fmt.Errorf("sqlite: named parameter %q: use positional ? parameters", a.Name)
		}
		switch v := a.Value.(type) {
		case nil, int64, float64, string, []byte:
			out[i] = v
		case bool:
			if v {
				out[i] = int64(1)
			} else {
				out[i] = int64(0)
			}
		case time.Time:
			out[i] = v.Format(time.RFC3339Nano)
		default:
			return nil, fmt.Errorf("sqlite: parameter %d has type %T, which SQLite cannot store", i+1, a.Value)
		}
	}
	return out, nil
}

type result struct{ changes, last int64 }

func (r result) LastInsertId() (int64, error) { return r.last, nil }
func (r result) RowsAffected() (int64, error) { return r.changes, nil }

var (
	_ driver.ConnBeginTx    = (*conn)(nil)
	_ driver.ExecerContext  = (*conn)(nil)
	_ driver.QueryerContext = (*conn)(nil)
	_ driver.Driver         = Driver{}
)
