// Package pg is a database/sql driver for PostgreSQL servers reached through
// Spin's outbound Postgres interface: spin:postgres/postgres@4.2.0 on Spin 4
// (WASI 0.3), fermyon:spin/postgres@2.0.0 on Spin 3 (WASI 0.2, see "Spin 3"
// below).
//
//	db := pg.Open("postgres://user:pass@db.example.com:5432/pets")
//	defer db.Close()
//	_, err := db.Exec("INSERT INTO pets (name, born) VALUES ($1, $2)",
//		"Rover", pg.Date{Year: 2020, Month: time.March, Day: 1})
//	var pgErr *pg.Error
//	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
//		// unique violation
//	}
//	rows, err := db.Query("SELECT name, born FROM pets WHERE id = $1", int32(7))
//
// The address is a Postgres URL (or key=value connection string); the host
// lets a component reach it only if allowed_outbound_hosts lists it, e.g.
// "postgres://db.example.com:5432". Parameters are positional: $1, $2, ...
// The driver is also registered as "spin-postgres" for sql.Open.
//
// One database/sql connection is one host connection, so BEGIN, COMMIT and
// ROLLBACK (and db.BeginTx, with any isolation level and read-only) work as
// on any Postgres connection. Rows stream from the host as they are read
// (on Spin 4; Spin 3 returns them whole).
//
// # Types
//
// Every value of the WIT interface has a Go form. A parameter is sent as
// the WIT case of its Go type; a column arrives as the Go value on the
// right, which scans into the usual Go types and into the package's own:
//
//	Postgres        parameter (Go type → WIT case)            column (WIT case → Go value)
//	boolean         bool → boolean                            bool
//	"char", int2,   int8, int16, int32, int64 (int → int64,   int64
//	int4, int8        uint8 → int16, uint16 → int32)
//	real, double    float32 → floating32, float64 → floating64 float64
//	text, varchar   string → str                              string
//	bytea           []byte → binary                           []byte
//	date            Date → date                               time.Time, UTC midnight (scan into Date)
//	time            Time → time                               Time
//	timestamp       time.Time → datetime (its UTC clock)      time.Time in UTC
//	timestamptz     Timestamp → timestamp (Unix seconds)      time.Time in UTC (Spin: datetime)
//	uuid            UUID → uuid                               string (scan into UUID)
//	jsonb           JSONB, JSON[T], json.RawMessage → jsonb   []byte (scan into JSONB or JSON[T])
//	numeric         Decimal → decimal                         string (scan into Decimal)
//	int4range       Range[int32] → range-int32                Range[int32]
//	int8range       Range[int64] → range-int64                Range[int64]
//	numrange        Range[Decimal] → range-decimal            Range[Decimal]
//	int4[], int8[]  Int32Array, Int64Array ([]int32, []int64) Int32Array, Int64Array
//	numeric[]       DecimalArray ([]Decimal) → array-decimal  DecimalArray
//	text[]          StringArray ([]string) → array-str        StringArray
//	interval        Interval → interval                       Interval
//	NULL            nil, nil pointer, sql.Null[T] → db-null   nil
//	other types     (cast in SQL)                             []byte: the host's bytes (unsupported)
//
// A nil []byte, JSONB or array is NULL; scan NULL into the other types with
// sql.Null[T] (or a pointer). time.Time parameters travel as datetime, a
// timestamp without time zone holding the UTC clock: Spin binds those to
// timestamp columns; for a timestamptz column write
// $1::timestamp AT TIME ZONE 'UTC', or send a Timestamp (whole Unix
// seconds, Spin's timestamp case). Spin reports timestamptz columns as
// datetime in UTC, so both scan into time.Time. Spin checks parameter types
// against the statement: an int4 column needs an int32, an int8 column an
// int64, a date a Date; cast in SQL ($1::text::inet) for other types.
//
// # Spin 3
//
// A Spin 3 build (componentize-go -w fermyon:spin/http-trigger@3.0.0, the
// spin_wasi02 tag) has the same API on fermyon:spin/postgres@2.0.0, whose
// rdbms-types values are fewer:
//
//	Postgres               parameter (Go type → WIT case)    column (WIT case → Go value)
//	boolean                bool → boolean                    bool
//	int2, int4, int8       int16, int32, int64, as above     int64
//	real, double           float32, float64 → floating32/64  float64
//	text, varchar, char(n) string → str                      string
//	bytea                  []byte → binary                   []byte
//	NULL                   nil, nil pointer, sql.Null[T]     nil
//	any other type         an error (ErrBadParameter)        an error (ErrValueConversion); NULL is nil
//
// (An int8 parameter binds to Postgres's one-byte "char", a type whose
// columns Spin 3 does not send back.)
//
// A parameter of a Go type outside the table (time.Time, Date,
// Time, Timestamp, UUID, JSONB, JSON[T], json.RawMessage, Decimal,
// Interval, Range[T], the arrays and []int32, []int64, []string,
// []Decimal) fails before it reaches the host, with an error wrapping
// ErrBadParameter that names the type and says it needs Spin 4. Send its
// text as a string instead and cast it in SQL: $1::text::date with
// Date.String(), for example. Spin sends a column of a type outside the
// table (date, timestamp, uuid, jsonb, numeric, arrays, "char"...) as the
// case unsupported, which fails Rows.Next with an error wrapping
// ErrValueConversion that names the column: cast it in the query
// (born::text). Such a column's NULLs arrive as nil, and its
// ColumnTypeDatabaseTypeName is "" (the interface names only the types of
// the table: BOOL, INT2, INT4, INT8, FLOAT4, FLOAT8, TEXT, BYTEA).
//
// The host returns a query's rows whole: it reads every row before the
// first reaches the component (Spin caps a result at 128 MiB), so keep
// result sets small (LIMIT, pagination). The server's errors arrive as
// text only: they wrap ErrQueryFailed with the server's message (and
// detail), not as *Error, so there is no SQLSTATE to test.
//
// # Errors
//
// An error the server reports is a *Error with its SQLSTATE code; errors of
// the host wrap ErrConnectionFailed, ErrBadParameter, ErrQueryFailed,
// ErrValueConversion or ErrOther, and every error names the statement.
// Outside a Spin component (GOOS other than wasip1) every call fails with
// ErrNoHost, so handlers compile and can be unit tested natively.
package pg

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strings"

	"github.com/spin-go/sdk/internal/sqldriver"
)

// DriverName is the name the driver is registered under.
const DriverName = "spin-postgres"

func init() { sql.Register(DriverName, Driver{}) }

// Open returns a *sql.DB for the Postgres server at address, a URL such as
// postgres://user:password@host:5432/database. Connections are made when
// first needed.
func Open(address string) *sql.DB { return sql.OpenDB(connector(address)) }

// Driver implements driver.Driver; the data source name is the address.
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
		return nil, fmt.Errorf("pg: connecting to %s: %w", redact(address), err)
	}
	return &conn{h: h}, nil
}

// Errors of the host, wrapped with what failed. A *Error (an error the
// server reported) also matches ErrQueryFailed with errors.Is.
var (
	// ErrNoHost is returned outside a Spin component.
	ErrNoHost = errors.New("pg: no Spin host: this package works inside a Spin component (build for GOOS=wasip1 with componentize-go)")
	// ErrConnectionFailed: the host could not connect (or the address is
	// not in allowed_outbound_hosts).
	ErrConnectionFailed = errors.New("connection failed")
	// ErrBadParameter: the host rejected a parameter.
	ErrBadParameter = errors.New("bad parameter")
	// ErrQueryFailed: the statement failed; the server's own errors are *Error.
	ErrQueryFailed = errors.New("query failed")
	// ErrValueConversion: a value could not be converted between Postgres
	// and the WIT types.
	ErrValueConversion = errors.New("value conversion failed")
	// ErrOther: any other failure the host reports.
	ErrOther = errors.New("postgres host error")
)

// hostError is an error case of the WIT error variant.
type hostError struct {
	kind error
	msg  string
}

func (e *hostError) Error() string { return e.kind.Error() + ": " + e.msg }
func (e *hostError) Unwrap() error { return e.kind }

// Error is an error the Postgres server reported, with the fields of its
// ErrorResponse. Use errors.As to get it:
//
//	var e *pg.Error
//	if errors.As(err, &e) && e.Code == "23505" { ... }
type Error struct {
	// Severity is ERROR, FATAL, PANIC (or a localized form).
	Severity string
	// Code is the SQLSTATE, e.g. 23505 for a unique violation.
	Code string
	// Message is the primary message.
	Message string
	// Detail is the optional secondary message.
	Detail string
	// Extras holds the other fields the host passed on, by name: hint,
	// position, schema, table, column, datatype, constraint, where_,
	// file, line, routine.
	Extras map[string]string
	// Text is the host's full rendering of the error.
	Text string
}

// Error reads like Postgres's own text: ERROR: message (SQLSTATE code),
// then the detail if there is one.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Severity != "" {
		b.WriteString(e.Severity + ": ")
	}
	b.WriteString(e.Message)
	if e.Code != "" {
		b.WriteString(" (SQLSTATE " + e.Code + ")")
	}
	if e.Detail != "" {
		b.WriteString("; DETAIL: " + e.Detail)
	}
	if h := e.Extras["hint"]; h != "" {
		b.WriteString("; HINT: " + h)
	}
	return b.String()
}

// Is reports that a server error is a failed query.
func (e *Error) Is(target error) bool { return target == ErrQueryFailed }

// handle is what the WASI-version specific code provides for one host
// connection.
type handle interface {
	exec(query string, args []any) (int64, error)
	query(query string, args []any) (*hostRows, error)
	close()
}

// hostRows is a streamed result: next returns io.EOF after the last row.
type hostRows struct {
	cols  []column
	next  func() ([]any, error)
	close func()
}

type column struct {
	name   string
	dbType string // Postgres type name as Rows.ColumnTypeDatabaseTypeName reports it
}

type conn struct {
	h   handle
	bad bool // a host failure that may have broken the connection
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return &sqldriver.Stmt{Conn: c, SQL: query}, nil
}

func (c *conn) Close() error {
	c.h.close()
	return nil
}

func (c *conn) Begin() (driver.Tx, error) { return c.BeginTx(context.Background(), driver.TxOptions{}) }

// BeginTx runs BEGIN with the isolation level and access mode asked for.
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	stmt := "BEGIN"
	switch sql.IsolationLevel(opts.Isolation) {
	case sql.LevelDefault:
	case sql.LevelReadUncommitted:
		stmt += " ISOLATION LEVEL READ UNCOMMITTED"
	case sql.LevelReadCommitted:
		stmt += " ISOLATION LEVEL READ COMMITTED"
	case sql.LevelRepeatableRead:
		stmt += " ISOLATION LEVEL REPEATABLE READ"
	case sql.LevelSerializable:
		stmt += " ISOLATION LEVEL SERIALIZABLE"
	default:
		return nil, fmt.Errorf("pg: isolation level %v is not supported by Postgres", sql.IsolationLevel(opts.Isolation))
	}
	if opts.ReadOnly {
		stmt += " READ ONLY"
	}
	if _, err := c.ExecContext(ctx, stmt, nil); err != nil {
		return nil, err
	}
	return sqldriver.Tx{Conn: c}, nil
}

// IsValid lets database/sql drop a connection after a host failure.
func (c *conn) IsValid() bool { return !c.bad }

// ResetSession refuses a connection that failed.
func (c *conn) ResetSession(context.Context) error {
	if c.bad {
		return driver.ErrBadConn
	}
	return nil
}

// Ping runs an empty statement.
func (c *conn) Ping(ctx context.Context) error {
	_, err := c.ExecContext(ctx, "SELECT 1", nil)
	return err
}

// CheckNamedValue converts a parameter to the Go value of its WIT case.
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	v, err := param(nv.Ordinal, nv.Value)
	if err != nil {
		return err
	}
	nv.Value = v
	return nil
}

// param converts parameter $n to the Go value of its WIT case, which the
// build's interface must carry (hostParam).
func param(n int, v any) (any, error) {
	p, err := paramValue(v)
	if err == nil {
		err = hostParam(n, v, p)
	}
	if err != nil {
		return nil, fmt.Errorf("pg: parameter $%d: %w", n, err)
	}
	return p, nil
}

func (c *conn) fail(op, query string, err error) error {
	var dbErr *Error
	if !errors.As(err, &dbErr) && !errors.Is(err, ErrBadParameter) && !errors.Is(err, ErrValueConversion) {
		c.bad = true
	}
	return fmt.Errorf("pg: %s %s: %w", op, label(query), err)
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params, err := values(args)
	if err != nil {
		return nil, err
	}
	n, err := c.h.exec(query, params)
	if err != nil {
		return nil, c.fail("exec", query, err)
	}
	return result(n), nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params, err := values(args)
	if err != nil {
		return nil, err
	}
	hr, err := c.h.query(query, params)
	if err != nil {
		return nil, c.fail("query", query, err)
	}
	names := make([]string, len(hr.cols))
	for i, col := range hr.cols {
		names[i] = col.name
	}
	fail := func(err error) error { return c.fail("reading rows of", query, err) }
	return &rows{Rows: sqldriver.NewRows(ctx, names, hr.next, hr.close, fail), cols: hr.cols}, nil
}

// values converts arguments to the Go values of their WIT cases.
func values(args []driver.NamedValue) ([]any, error) {
	out := make([]any, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, fmt.Errorf("pg: named parameter %q: use positional $%d parameters", a.Name, i+1)
		}
		v, err := param(i+1, a.Value)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// label quotes a statement for an error message, shortened.
func label(query string) string {
	q := strings.Join(strings.Fields(query), " ")
	if len(q) > 72 {
		q = q[:69] + "..."
	}
	return fmt.Sprintf("%q", q)
}

var kvPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('[^']*'|\S+)`)

// redact hides the password of an address.
func redact(address string) string {
	if u, err := url.Parse(address); err == nil && u.Scheme != "" && u.Host != "" {
		return u.Redacted()
	}
	return kvPassword.ReplaceAllString(address, "${1}xxxxx")
}

// result is the number of rows a statement affected; Postgres has no
// last insert id (use RETURNING).
type result int64

func (r result) LastInsertId() (int64, error) {
	return 0, errors.New("pg: LastInsertId is not supported by Postgres: use INSERT ... RETURNING")
}
func (r result) RowsAffected() (int64, error) { return int64(r), nil }

// rows streams result rows from the host, with the columns' types.
type rows struct {
	*sqldriver.Rows
	cols []column
}

// ColumnTypeDatabaseTypeName is the column's Postgres type in upper case
// (INT4, TEXT, TIMESTAMP, _INT4 for int4[], ...), as the host reports it.
func (r *rows) ColumnTypeDatabaseTypeName(i int) string { return r.cols[i].dbType }

// ColumnTypeScanType is the Go type the column's values arrive as.
func (r *rows) ColumnTypeScanType(i int) reflect.Type { return scanType(r.cols[i].dbType) }

var (
	_ driver.ConnBeginTx                    = (*conn)(nil)
	_ driver.ExecerContext                  = (*conn)(nil)
	_ driver.QueryerContext                 = (*conn)(nil)
	_ driver.NamedValueChecker              = (*conn)(nil)
	_ driver.Pinger                         = (*conn)(nil)
	_ driver.Validator                      = (*conn)(nil)
	_ driver.SessionResetter                = (*conn)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
	_ driver.DriverContext                  = Driver{}
)
