package mysql

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"time"
	"unicode/utf8"

	rdbms "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_rdbms_types"
	"github.com/spin-go/sdk/internal/rdbmsconv"
	"github.com/spin-go/sdk/internal/sqldriver"
)

// TimeFormat is how a time.Time parameter is sent (as text, in UTC):
// MySQL reads it into DATETIME, TIMESTAMP and DATE columns, keeping
// microseconds.
const TimeFormat = "2006-01-02 15:04:05.999999"

// The kinds of error the host reports, as the rdbms-types error variant
// has them; an *Error wraps one of them.
var (
	ErrConnectionFailed      = errors.New("connection failed")
	ErrBadParameter          = errors.New("bad parameter")
	ErrQueryFailed           = errors.New("query failed")
	ErrValueConversionFailed = errors.New("value conversion failed")
	ErrOther                 = errors.New("database error")
)

// ErrResultUnavailable is what Result.LastInsertId and Result.RowsAffected
// return: fermyon:spin/mysql@2.0.0 reports neither.
var ErrResultUnavailable = errors.New("mysql: fermyon:spin/mysql@2.0.0 does not report the last insert id or the rows affected; run SELECT LAST_INSERT_ID(), ROW_COUNT() on the same connection (a Tx or sql.Conn)")

// ErrUnsupportedValue is wrapped by the error Rows.Next returns for a
// value whose type the interface cannot represent (the db-value case
// unsupported).
var ErrUnsupportedValue = errors.New("the value's type has no representation in fermyon:spin/mysql@2.0.0; CAST it to CHAR or a number in the query")

// ErrNoHost is what every call returns outside a Spin host (a native
// build, e.g. in unit tests of a handler).
var ErrNoHost = errors.New("no Spin host: MySQL connections are provided by the Spin host; build for GOOS=wasip1 with componentize-go")

// Error is an operation the host (or the server behind it) refused.
type Error struct {
	// Op is "open", "query" or "execute".
	Op string
	// Statement is the SQL text (empty for open).
	Statement string
	// Address is the server address with its password redacted (open only).
	Address string
	// Kind is ErrConnectionFailed, ErrBadParameter, ErrQueryFailed,
	// ErrValueConversionFailed, ErrOther or ErrNoHost.
	Kind error
	// Message is the host's (often the server's) text.
	Message string
}

// Error formats the error as mysql: OP STATEMENT-OR-ADDRESS: KIND: MESSAGE,
// with a long statement shortened.
func (e *Error) Error() string {
	what := e.Address
	if e.Statement != "" {
		what = fmt.Sprintf("%q", shorten(e.Statement, 120))
	}
	msg := e.Kind.Error()
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return fmt.Sprintf("mysql: %s %s: %s", e.Op, what, msg)
}

// Unwrap returns the error's kind, for errors.Is.
func (e *Error) Unwrap() error { return e.Kind }

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// hostError is an error variant from the host, before it gets context.
type hostError struct {
	kind error
	msg  string
}

func (e *hostError) Error() string { return e.kind.Error() + ": " + e.msg }

// hostKinds are the package's errors for the cases of the error variant.
var hostKinds = rdbmsconv.Kinds{
	ConnectionFailed: ErrConnectionFailed, BadParameter: ErrBadParameter, QueryFailed: ErrQueryFailed,
	ValueConversionFailed: ErrValueConversionFailed, Other: ErrOther,
}

// fromHostError converts the rdbms-types error variant.
func fromHostError(e rdbms.Error) error {
	kind, msg := hostKinds.Error(e)
	return &hostError{kind, msg}
}

// wrap gives a host error its context.
func wrap(op, statement, address string, err error) *Error {
	e := &Error{Op: op, Statement: statement, Address: address, Kind: ErrOther, Message: err.Error()}
	var he *hostError
	if errors.As(err, &he) {
		e.Kind, e.Message = he.kind, he.msg
	} else if errors.Is(err, ErrNoHost) {
		e.Kind, e.Message = ErrNoHost, ""
	}
	return e
}

// redact hides the password of a mysql:// URL.
func redact(address string) string {
	u, err := url.Parse(address)
	if err != nil {
		return "(invalid address)"
	}
	return u.Redacted()
}

// isolationLevel is the SET TRANSACTION form of a database/sql level.
func isolationLevel(l sql.IsolationLevel) (string, error) {
	switch l {
	case sql.LevelDefault:
		return "", nil
	case sql.LevelReadUncommitted:
		return "READ UNCOMMITTED", nil
	case sql.LevelReadCommitted:
		return "READ COMMITTED", nil
	case sql.LevelRepeatableRead:
		return "REPEATABLE READ", nil
	case sql.LevelSerializable:
		return "SERIALIZABLE", nil
	}
	return "", fmt.Errorf("mysql: MySQL has no isolation level %s", l)
}

// normalize turns a parameter into one of the types toParam converts.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64, string, []byte:
		return x, nil
	case int:
		return int64(x), nil
	case uint:
		return uint64(x), nil
	case time.Time:
		return x.UTC().Format(TimeFormat), nil
	case driver.Valuer:
		rv := reflect.ValueOf(x)
		// As database/sql does: a nil pointer to a type whose Value method
		// has a value receiver is NULL.
		if rv.Kind() == reflect.Pointer && rv.IsNil() && rv.Type().Elem().Implements(sqldriver.ValuerType) {
			return nil, nil
		}
		dv, err := x.Value()
		if err != nil {
			return nil, err
		}
		if _, again := dv.(driver.Valuer); again {
			return nil, fmt.Errorf("%T.Value returned another driver.Valuer (%T)", v, dv)
		}
		return normalize(dv)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil, nil
		}
		return normalize(rv.Elem().Interface())
	case reflect.Uintptr:
		return rv.Uint(), nil
	}
	// Types defined on basic kinds (type Age int16, type Name string).
	if b, ok := sqldriver.Basic(rv); ok {
		return b, nil
	}
	return nil, fmt.Errorf("type %T cannot be sent to MySQL", v)
}

// toParam converts a normalized value to a parameter value.
func toParam(v any) (rdbms.ParameterValue, error) {
	if p, ok := rdbmsconv.Param(v); ok { // as go-sql-driver/mysql: a nil []byte is NULL
		return p, nil
	}
	n, err := normalize(v)
	if err != nil {
		return rdbms.ParameterValue{}, err
	}
	return toParam(n) // n is one of the types Param converts
}

// fromDB converts a column value to the Go value Rows.Next returns.
func fromDB(v rdbms.DbValue) (driver.Value, error) {
	x, err := rdbmsconv.Value(v)
	if errors.Is(err, rdbmsconv.ErrUnsupported) {
		return nil, ErrUnsupportedValue
	}
	return x, err
}

// typeName is the database type name reported for a column. The
// interface tells only the family: str columns (CHAR, VARCHAR, TEXT,
// ENUM...) are "TEXT", binary ones (BINARY, VARBINARY, BLOB...) "BLOB",
// unsigned integers "UNSIGNED ..." as go-sql-driver/mysql names them, and
// a type it cannot name (db-data-type other) is "".
func typeName(t rdbms.DbDataType) string {
	switch t {
	case rdbms.DbDataTypeBoolean:
		return "BOOL"
	case rdbms.DbDataTypeInt8:
		return "TINYINT"
	case rdbms.DbDataTypeInt16:
		return "SMALLINT"
	case rdbms.DbDataTypeInt32:
		return "INT"
	case rdbms.DbDataTypeInt64:
		return "BIGINT"
	case rdbms.DbDataTypeUint8:
		return "UNSIGNED TINYINT"
	case rdbms.DbDataTypeUint16:
		return "UNSIGNED SMALLINT"
	case rdbms.DbDataTypeUint32:
		return "UNSIGNED INT"
	case rdbms.DbDataTypeUint64:
		return "UNSIGNED BIGINT"
	case rdbms.DbDataTypeFloating32:
		return "FLOAT"
	case rdbms.DbDataTypeFloating64:
		return "DOUBLE"
	case rdbms.DbDataTypeStr:
		return "TEXT"
	case rdbms.DbDataTypeBinary:
		return "BLOB"
	}
	return ""
}

// scanType is the Go type fromDB returns for a column's non-NULL values.
func scanType(t rdbms.DbDataType) reflect.Type {
	switch t {
	case rdbms.DbDataTypeBoolean:
		return reflect.TypeFor[bool]()
	case rdbms.DbDataTypeInt8, rdbms.DbDataTypeInt16, rdbms.DbDataTypeInt32, rdbms.DbDataTypeInt64,
		rdbms.DbDataTypeUint8, rdbms.DbDataTypeUint16, rdbms.DbDataTypeUint32:
		return reflect.TypeFor[int64]()
	case rdbms.DbDataTypeUint64:
		return reflect.TypeFor[uint64]()
	case rdbms.DbDataTypeFloating32:
		return reflect.TypeFor[float32]()
	case rdbms.DbDataTypeFloating64:
		return reflect.TypeFor[float64]()
	case rdbms.DbDataTypeStr:
		return reflect.TypeFor[string]()
	case rdbms.DbDataTypeBinary:
		return reflect.TypeFor[[]byte]()
	}
	return reflect.TypeFor[any]()
}
