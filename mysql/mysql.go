// Package mysql is a database/sql driver for MySQL (and MariaDB) servers a
// Spin component reaches through fermyon:spin/mysql@2.0.0.
//
//	db := mysql.Open(os.Getenv("MYSQL_URL")) // mysql://user:pass@host:3306/db
//	defer db.Close()
//	_, err := db.Exec("INSERT INTO pets (name, age) VALUES (?, ?)", "Rover", 3)
//	rows, err := db.Query("SELECT name, age FROM pets WHERE age > ?", 2)
//
// The server's address must be in the component's allowed_outbound_hosts
// (mysql://host:port). The driver is also registered as "spin-mysql" for
// sql.Open. Statements use positional ? parameters.
//
// # Connections and transactions
//
// Each database/sql connection is one host connection, so the statements
// of a transaction (a Tx, or START TRANSACTION/COMMIT/ROLLBACK run on a
// sql.Conn) run on the same server session. BeginTx honours ReadOnly and
// the isolation levels MySQL has (read uncommitted, read committed,
// repeatable read, serializable); other levels are rejected. A connection
// the host reports as failed is dropped from the pool.
//
// # Results
//
// The interface returns a query's rows as one whole row set: the host reads
// every row before the first one reaches the component, so keep result
// sets small (LIMIT, pagination). Statements run by Exec report nothing
// back: LastInsertId and RowsAffected return ErrResultUnavailable rather
// than guessing. Read them on the same connection instead, in a Tx or a
// sql.Conn: SELECT LAST_INSERT_ID(), ROW_COUNT().
//
// A call cannot be interrupted once the host runs it; the context is
// checked before every call and before every row.
//
// # Types
//
// Parameters may be bool, every signed and unsigned integer width (a
// uint64 above math.MaxInt64 is sent as it is), float32, float64, string,
// []byte (a nil slice is NULL), nil, time.Time (sent as text in UTC in
// TimeFormat, which MySQL reads into DATETIME, TIMESTAMP and DATE
// columns), pointers to those, types whose underlying kind is one of
// those, and driver.Valuer (sql.NullInt64 and friends).
//
// Columns arrive as the interface types them: signed integers of every
// width and unsigned 8-, 16- and 32-bit integers as int64, unsigned 64-bit
// integers as uint64 (so values above math.MaxInt64 survive), FLOAT as
// float32, DOUBLE as float64, text as string, binary data as []byte,
// booleans as bool and NULL as nil. Scan converts them to the destination
// type as usual. BOOL is TINYINT(1) in MySQL and arrives as int64 0 or 1,
// which Scan stores in a *bool.
//
// The interface has no case for DECIMAL, DATE, DATETIME, TIMESTAMP, TIME,
// YEAR, BIT or JSON (MySQL's): Spin fails a query that returns a non-NULL
// value of such a column with ErrValueConversionFailed naming the column
// (so does spin-go's local host). CAST it to CHAR (or a number) in the
// query. A value the host marks as
// the db-value case unsupported fails Rows.Next with an error wrapping
// ErrUnsupportedValue that names the column.
//
// # Errors
//
// Errors from the host are *Error values naming the operation and
// statement, and wrap one of ErrConnectionFailed, ErrBadParameter,
// ErrQueryFailed, ErrValueConversionFailed or ErrOther for errors.Is. The
// server's own message (e.g. a duplicate key) is in Error.Message.
package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"reflect"

	rdbms "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_rdbms_types"
	"github.com/spin-go/sdk/internal/sqldriver"
)

// DriverName is the name the driver is registered under for sql.Open.
const DriverName = "spin-mysql"

func init() { sql.Register(DriverName, Driver{}) }

// Open returns a *sql.DB for the MySQL server at address, a URL such as
// mysql://user:password@host:3306/database. Connections are opened when
// first needed, so an unreachable or denied address shows in the first
// statement (or Ping).
func Open(address string) *sql.DB { return sql.OpenDB(connector(address)) }

// Driver implements driver.Driver and driver.DriverContext; the data
// source name is the server's mysql:// URL.
type Driver struct{}

// Open opens a connection to the server at address.
func (Driver) Open(address string) (driver.Conn, error) {
	return connector(address).Connect(context.Background())
}

// OpenConnector returns a connector for the server at address.
func (Driver) OpenConnector(address string) (driver.Connector, error) {
	return connector(address), nil
}

func connector(address string) driver.Connector {
	return sqldriver.NewConnector(Driver{}, address, connect)
}

func connect(address string) (driver.Conn, error) {
	h, err := openConn(address)
	if err != nil {
		return nil, wrap("open", "", redact(address), err)
	}
	return &conn{h: h}, nil
}

// handle is one host connection; the wasip1 and native files provide it.
type handle interface {
	query(statement string, params []rdbms.ParameterValue) (rdbms.RowSet, error)
	execute(statement string, params []rdbms.ParameterValue) error
	close()
}

type conn struct {
	h   handle
	bad bool // the host reported the connection failed: the pool drops it
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return &sqldriver.Stmt{Conn: c, SQL: query}, nil
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.Prepare(query)
}

func (c *conn) Close() error {
	c.h.close()
	return nil
}

// IsValid reports whether the connection may be reused by the pool.
func (c *conn) IsValid() bool { return !c.bad }

// Ping checks the server still answers on this connection.
func (c *conn) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := c.h.query("SELECT 1", nil); err != nil {
		return c.fail("query", "SELECT 1", err)
	}
	return nil
}

func (c *conn) Begin() (driver.Tx, error) { return c.BeginTx(context.Background(), driver.TxOptions{}) }

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	level, err := isolationLevel(sql.IsolationLevel(opts.Isolation))
	if err != nil {
		return nil, err
	}
	if level != "" {
		// Applies to the next transaction on this session only.
		if _, err := c.ExecContext(ctx, "SET TRANSACTION ISOLATION LEVEL "+level, nil); err != nil {
			return nil, err
		}
	}
	start := "START TRANSACTION"
	if opts.ReadOnly {
		start += " READ ONLY"
	}
	if _, err := c.ExecContext(ctx, start, nil); err != nil {
		return nil, err
	}
	return sqldriver.Tx{Conn: c}, nil
}

// CheckNamedValue converts an argument to one of the types toParam
// understands (see the package comment).
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if nv.Name != "" {
		return fmt.Errorf("mysql: named parameter %q: use positional ? parameters", nv.Name)
	}
	v, err := normalize(nv.Value)
	if err != nil {
		return fmt.Errorf("mysql: parameter %d: %w", nv.Ordinal, err)
	}
	nv.Value = v
	return nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params, err := params(args)
	if err != nil {
		return nil, err
	}
	if err := c.h.execute(query, params); err != nil {
		return nil, c.fail("execute", query, err)
	}
	return result{}, nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params, err := params(args)
	if err != nil {
		return nil, err
	}
	set, err := c.h.query(query, params)
	if err != nil {
		return nil, c.fail("query", query, err)
	}
	return newRows(ctx, set), nil
}

// fail wraps a host error, marking the connection bad when the host says
// the connection itself failed.
func (c *conn) fail(op, statement string, err error) error {
	e := wrap(op, statement, "", err)
	if e.Kind == ErrConnectionFailed {
		c.bad = true
	}
	return e
}

// params converts checked arguments to parameter values.
func params(args []driver.NamedValue) ([]rdbms.ParameterValue, error) {
	out := make([]rdbms.ParameterValue, len(args))
	for i, a := range args {
		p, err := toParam(a.Value)
		if err != nil {
			return nil, fmt.Errorf("mysql: parameter %d: %w", i+1, err)
		}
		out[i] = p
	}
	return out, nil
}

// result is what Exec returns: the interface reports no counts or ids.
type result struct{}

// LastInsertId returns ErrResultUnavailable: fermyon:spin/mysql@2.0.0
// does not report it.
func (result) LastInsertId() (int64, error) { return 0, ErrResultUnavailable }

// RowsAffected returns ErrResultUnavailable: fermyon:spin/mysql@2.0.0
// does not report it.
func (result) RowsAffected() (int64, error) { return 0, ErrResultUnavailable }

// rows walks a row set the host returned whole, converting each row as it
// is read.
type rows struct {
	ctx  context.Context
	cols []rdbms.Column
	rows []rdbms.Row
	next int
}

func newRows(ctx context.Context, set rdbms.RowSet) *rows {
	return &rows{ctx: ctx, cols: set.Columns, rows: set.Rows}
}

func (r *rows) Columns() []string {
	names := make([]string, len(r.cols))
	for i, c := range r.cols {
		names[i] = c.Name
	}
	return names
}

func (r *rows) Close() error {
	r.rows, r.next = nil, 0
	return nil
}

func (r *rows) Next(dest []driver.Value) error {
	if r.next >= len(r.rows) {
		return io.EOF
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	row := r.rows[r.next]
	r.next++
	for i := range dest {
		dest[i] = nil
		if i >= len(row) {
			continue
		}
		v, err := fromDB(row[i])
		if err != nil {
			return fmt.Errorf("mysql: column %d (%q) of row %d: %w", i+1, r.colName(i), r.next, err)
		}
		dest[i] = v
	}
	return nil
}

func (r *rows) colName(i int) string {
	if i < len(r.cols) {
		return r.cols[i].Name
	}
	return ""
}

// ColumnTypeDatabaseTypeName names the MySQL type family the interface
// reports for column i (see typeName).
func (r *rows) ColumnTypeDatabaseTypeName(i int) string { return typeName(r.cols[i].DataType) }

// ColumnTypeScanType is the Go type Next returns for column i's values.
func (r *rows) ColumnTypeScanType(i int) reflect.Type { return scanType(r.cols[i].DataType) }

var (
	_ driver.ConnBeginTx                    = (*conn)(nil)
	_ driver.ConnPrepareContext             = (*conn)(nil)
	_ driver.ExecerContext                  = (*conn)(nil)
	_ driver.QueryerContext                 = (*conn)(nil)
	_ driver.NamedValueChecker              = (*conn)(nil)
	_ driver.Validator                      = (*conn)(nil)
	_ driver.Pinger                         = (*conn)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
	_ driver.Driver                         = Driver{}
	_ driver.DriverContext                  = Driver{}
)
