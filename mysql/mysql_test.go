package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rdbms "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_rdbms_types"
)

type age int16

type big uint64

type addr uintptr

type upper string

func (u upper) Value() (driver.Value, error) { return "UP:" + string(u), nil }

type ptrValuer struct{ v int64 }

func (p *ptrValuer) Value() (driver.Value, error) {
	if p == nil {
		return "nil receiver", nil
	}
	return p.v, nil
}

type failing struct{}

func (failing) Value() (driver.Value, error) { return nil, errors.New("no value") }

func TestMySQLParameters(t *testing.T) {
	s := "text"
	var nilString *string
	u64 := uint64(math.MaxUint64)
	at := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.FixedZone("CET", 3600))
	for _, tc := range []struct {
		name string
		in   any
		want rdbms.ParameterValue
	}{
		{"nil", nil, rdbms.MakeParameterValueDbNull()},
		{"true", true, rdbms.MakeParameterValueBoolean(true)},
		{"false", false, rdbms.MakeParameterValueBoolean(false)},
		{"int8 min", int8(math.MinInt8), rdbms.MakeParameterValueInt8(math.MinInt8)},
		{"int16 min", int16(math.MinInt16), rdbms.MakeParameterValueInt16(math.MinInt16)},
		{"int32 min", int32(math.MinInt32), rdbms.MakeParameterValueInt32(math.MinInt32)},
		{"int64 min", int64(math.MinInt64), rdbms.MakeParameterValueInt64(math.MinInt64)},
		{"int", int(-7), rdbms.MakeParameterValueInt64(-7)},
		{"uint8 max", uint8(math.MaxUint8), rdbms.MakeParameterValueUint8(math.MaxUint8)},
		{"uint16 max", uint16(math.MaxUint16), rdbms.MakeParameterValueUint16(math.MaxUint16)},
		{"uint32 max", uint32(math.MaxUint32), rdbms.MakeParameterValueUint32(math.MaxUint32)},
		{"uint64 max", uint64(math.MaxUint64), rdbms.MakeParameterValueUint64(math.MaxUint64)},
		{"uint", uint(9), rdbms.MakeParameterValueUint64(9)},
		{"float32", float32(0.1), rdbms.MakeParameterValueFloating32(0.1)},
		{"float64", math.Pi, rdbms.MakeParameterValueFloating64(math.Pi)},
		{"string", "héllo 🐹", rdbms.MakeParameterValueStr("héllo 🐹")},
		{"bytes", []byte{0, 1, 0}, rdbms.MakeParameterValueBinary([]byte{0, 1, 0})},
		{"empty bytes", []byte{}, rdbms.MakeParameterValueBinary([]byte{})},
		{"nil bytes", []byte(nil), rdbms.MakeParameterValueDbNull()},
		{"time in UTC", at, rdbms.MakeParameterValueStr("2024-02-29 12:14:15.123456")},
		{"whole second", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), rdbms.MakeParameterValueStr("2024-01-02 03:04:05")},
		{"pointer", &s, rdbms.MakeParameterValueStr("text")},
		{"nil pointer", nilString, rdbms.MakeParameterValueDbNull()},
		{"pointer to uint64", &u64, rdbms.MakeParameterValueUint64(math.MaxUint64)},
		{"named int16", age(-3), rdbms.MakeParameterValueInt16(-3)},
		{"named uint64 above MaxInt64", big(math.MaxUint64), rdbms.MakeParameterValueUint64(math.MaxUint64)},
		{"uintptr", uintptr(7), rdbms.MakeParameterValueUint64(7)},
		{"named uintptr", addr(8), rdbms.MakeParameterValueUint64(8)},
		{"valuer", upper("x"), rdbms.MakeParameterValueStr("UP:x")},
		{"nil value-receiver valuer", (*upper)(nil), rdbms.MakeParameterValueDbNull()},
		{"pointer valuer", &ptrValuer{v: 5}, rdbms.MakeParameterValueInt64(5)},
		{"nil pointer-receiver valuer", (*ptrValuer)(nil), rdbms.MakeParameterValueStr("nil receiver")},
		{"sql.NullInt64 null", sql.NullInt64{}, rdbms.MakeParameterValueDbNull()},
		{"sql.NullInt64", sql.NullInt64{Int64: 4, Valid: true}, rdbms.MakeParameterValueInt64(4)},
		{"sql.NullTime", sql.NullTime{Time: at, Valid: true}, rdbms.MakeParameterValueStr("2024-02-29 12:14:15.123456")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &conn{}
			nv := &driver.NamedValue{Ordinal: 1, Value: tc.in}
			require.NoError(t, c.CheckNamedValue(nv))
			got, err := params([]driver.NamedValue{*nv})
			require.NoError(t, err)
			assert.Equal(t, []rdbms.ParameterValue{tc.want}, got)
		})
	}
}

func TestMySQLParameterErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		nv   driver.NamedValue
		want string
	}{
		{"named", driver.NamedValue{Name: "id", Ordinal: 1, Value: 1}, `mysql: named parameter "id": use positional ? parameters`},
		{"struct", driver.NamedValue{Ordinal: 2, Value: struct{}{}}, "mysql: parameter 2: type struct {} cannot be sent to MySQL"},
		{"slice", driver.NamedValue{Ordinal: 1, Value: []int{1}}, "mysql: parameter 1: type []int cannot be sent to MySQL"},
		{"valuer error", driver.NamedValue{Ordinal: 3, Value: failing{}}, "mysql: parameter 3: no value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &conn{}
			assert.EqualError(t, c.CheckNamedValue(&tc.nv), tc.want)
		})
	}
}

func TestMySQLColumnValues(t *testing.T) {
	for _, tc := range []struct {
		in   rdbms.DbValue
		want driver.Value
	}{
		{rdbms.MakeDbValueBoolean(true), true},
		{rdbms.MakeDbValueInt8(math.MinInt8), int64(math.MinInt8)},
		{rdbms.MakeDbValueInt16(math.MinInt16), int64(math.MinInt16)},
		{rdbms.MakeDbValueInt32(math.MinInt32), int64(math.MinInt32)},
		{rdbms.MakeDbValueInt64(math.MinInt64), int64(math.MinInt64)},
		{rdbms.MakeDbValueUint8(math.MaxUint8), int64(math.MaxUint8)},
		{rdbms.MakeDbValueUint16(math.MaxUint16), int64(math.MaxUint16)},
		{rdbms.MakeDbValueUint32(math.MaxUint32), int64(math.MaxUint32)},
		{rdbms.MakeDbValueUint64(math.MaxUint64), uint64(math.MaxUint64)},
		{rdbms.MakeDbValueFloating32(0.1), float32(0.1)},
		{rdbms.MakeDbValueFloating64(-math.MaxFloat64), -math.MaxFloat64},
		{rdbms.MakeDbValueStr("世界"), "世界"},
		{rdbms.MakeDbValueBinary([]byte{0, 0}), []byte{0, 0}},
		{rdbms.MakeDbValueBinary(nil), []byte{}},
		{rdbms.MakeDbValueDbNull(), nil},
	} {
		got, err := fromDB(tc.in)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "case %d", tc.in.Tag())
	}
	_, err := fromDB(rdbms.MakeDbValueUnsupported())
	assert.ErrorIs(t, err, ErrUnsupportedValue)
}

// rowsOf makes driver rows over a row set, as QueryContext does.
func rowsOf(ctx context.Context, cols []rdbms.Column, data ...rdbms.Row) *rows {
	return newRows(ctx, rdbms.RowSet{Columns: cols, Rows: data})
}

func TestMySQLRows(t *testing.T) {
	cols := []rdbms.Column{{Name: "id", DataType: rdbms.DbDataTypeUint64}, {Name: "price", DataType: rdbms.DbDataTypeOther}}
	r := rowsOf(context.Background(), cols,
		rdbms.Row{rdbms.MakeDbValueUint64(math.MaxUint64), rdbms.MakeDbValueDbNull()},
		rdbms.Row{rdbms.MakeDbValueUint64(2), rdbms.MakeDbValueUnsupported()})
	assert.Equal(t, []string{"id", "price"}, r.Columns())
	assert.Equal(t, "UNSIGNED BIGINT", r.ColumnTypeDatabaseTypeName(0))
	assert.Equal(t, "", r.ColumnTypeDatabaseTypeName(1))
	assert.Equal(t, reflect.TypeFor[uint64](), r.ColumnTypeScanType(0))
	assert.Equal(t, reflect.TypeFor[any](), r.ColumnTypeScanType(1))
	dest := make([]driver.Value, 2)
	require.NoError(t, r.Next(dest))
	assert.Equal(t, []driver.Value{uint64(math.MaxUint64), nil}, dest)
	err := r.Next(dest)
	assert.ErrorIs(t, err, ErrUnsupportedValue)
	assert.ErrorContains(t, err, `mysql: column 2 ("price") of row 2: `)
	assert.Equal(t, io.EOF, r.Next(dest))

	ctx, cancel := context.WithCancel(context.Background())
	r = rowsOf(ctx, cols[:1], rdbms.Row{rdbms.MakeDbValueUint64(1)}, rdbms.Row{rdbms.MakeDbValueUint64(2)})
	require.NoError(t, r.Next(dest[:1]))
	cancel()
	assert.ErrorIs(t, r.Next(dest[:1]), context.Canceled, "the context is checked per row")
}

func TestMySQLTypeNames(t *testing.T) {
	for dt, want := range map[rdbms.DbDataType][2]string{
		rdbms.DbDataTypeBoolean:    {"BOOL", "bool"},
		rdbms.DbDataTypeInt8:       {"TINYINT", "int64"},
		rdbms.DbDataTypeInt16:      {"SMALLINT", "int64"},
		rdbms.DbDataTypeInt32:      {"INT", "int64"},
		rdbms.DbDataTypeInt64:      {"BIGINT", "int64"},
		rdbms.DbDataTypeUint8:      {"UNSIGNED TINYINT", "int64"},
		rdbms.DbDataTypeUint16:     {"UNSIGNED SMALLINT", "int64"},
		rdbms.DbDataTypeUint32:     {"UNSIGNED INT", "int64"},
		rdbms.DbDataTypeUint64:     {"UNSIGNED BIGINT", "uint64"},
		rdbms.DbDataTypeFloating32: {"FLOAT", "float32"},
		rdbms.DbDataTypeFloating64: {"DOUBLE", "float64"},
		rdbms.DbDataTypeStr:        {"TEXT", "string"},
		rdbms.DbDataTypeBinary:     {"BLOB", "[]uint8"},
		rdbms.DbDataTypeOther:      {"", "interface {}"},
	} {
		assert.Equal(t, want[0], typeName(dt), dt.String())
		assert.Equal(t, want[1], scanType(dt).String(), dt.String())
	}
}

func TestMySQLHostErrors(t *testing.T) {
	for _, tc := range []struct {
		in   rdbms.Error
		kind error
		text string
	}{
		{rdbms.MakeErrorConnectionFailed("refused"), ErrConnectionFailed, "connection failed: refused"},
		{rdbms.MakeErrorBadParameter("bad"), ErrBadParameter, "bad parameter: bad"},
		{rdbms.MakeErrorQueryFailed("Duplicate entry"), ErrQueryFailed, "query failed: Duplicate entry"},
		{rdbms.MakeErrorValueConversionFailed("DATETIME"), ErrValueConversionFailed, "value conversion failed: DATETIME"},
		{rdbms.MakeErrorOther("boom"), ErrOther, "database error: boom"},
	} {
		err := wrap("query", "SELECT 1", "", fromHostError(tc.in))
		assert.ErrorIs(t, err, tc.kind)
		assert.Equal(t, `mysql: query "SELECT 1": `+tc.text, err.Error())
		var me *Error
		require.ErrorAs(t, error(err), &me)
		assert.Equal(t, "query", me.Op)
	}
	long := "SELECT 'x" + strings.Repeat("é", 100) + "'"
	msg := wrap("execute", long, "", fromHostError(rdbms.MakeErrorOther("x"))).Error()
	assert.Contains(t, msg, `é..."`, "a long statement is shortened")
	assert.True(t, utf8.ValidString(msg), "at a character boundary")

	c := &conn{}
	err := c.fail("execute", "SELECT 1", fromHostError(rdbms.MakeErrorQueryFailed("x")))
	assert.ErrorIs(t, err, ErrQueryFailed)
	assert.True(t, c.IsValid(), "a failed query keeps the connection")
	err = c.fail("execute", "SELECT 1", fromHostError(rdbms.MakeErrorConnectionFailed("lost")))
	assert.ErrorIs(t, err, ErrConnectionFailed)
	assert.False(t, c.IsValid(), "a failed connection is dropped from the pool")
}

func TestMySQLIsolationLevels(t *testing.T) {
	for level, want := range map[sql.IsolationLevel]string{
		sql.LevelDefault:         "",
		sql.LevelReadUncommitted: "READ UNCOMMITTED",
		sql.LevelReadCommitted:   "READ COMMITTED",
		sql.LevelRepeatableRead:  "REPEATABLE READ",
		sql.LevelSerializable:    "SERIALIZABLE",
	} {
		got, err := isolationLevel(level)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	for _, level := range []sql.IsolationLevel{sql.LevelWriteCommitted, sql.LevelSnapshot, sql.LevelLinearizable} {
		_, err := isolationLevel(level)
		assert.EqualError(t, err, "mysql: MySQL has no isolation level "+level.String())
	}
}

// fakeHost records the statements a connection runs.
type fakeHost struct {
	ran    []string
	params [][]rdbms.ParameterValue
	closed bool
}

func (f *fakeHost) query(statement string, params []rdbms.ParameterValue) (rdbms.RowSet, error) {
	f.ran, f.params = append(f.ran, statement), append(f.params, params)
	return rdbms.RowSet{}, nil
}

func (f *fakeHost) execute(statement string, params []rdbms.ParameterValue) error {
	f.ran, f.params = append(f.ran, statement), append(f.params, params)
	return nil
}

func (f *fakeHost) close() { f.closed = true }

func TestMySQLTransactionStatements(t *testing.T) {
	for _, tc := range []struct {
		opts driver.TxOptions
		end  func(driver.Tx) error
		want []string
	}{
		{driver.TxOptions{}, driver.Tx.Commit, []string{"START TRANSACTION", "COMMIT"}},
		{driver.TxOptions{ReadOnly: true}, driver.Tx.Rollback, []string{"START TRANSACTION READ ONLY", "ROLLBACK"}},
		{driver.TxOptions{Isolation: driver.IsolationLevel(sql.LevelReadCommitted)}, driver.Tx.Commit,
			[]string{"SET TRANSACTION ISOLATION LEVEL READ COMMITTED", "START TRANSACTION", "COMMIT"}},
	} {
		h := &fakeHost{}
		c := &conn{h: h}
		tx, err := c.BeginTx(context.Background(), tc.opts)
		require.NoError(t, err)
		require.NoError(t, tc.end(tx))
		assert.Equal(t, tc.want, h.ran)
	}
	h := &fakeHost{}
	_, err := (&conn{h: h}).BeginTx(context.Background(), driver.TxOptions{Isolation: driver.IsolationLevel(sql.LevelSnapshot)})
	assert.Error(t, err)
	assert.Empty(t, h.ran, "nothing runs for a level MySQL lacks")
}

func TestMySQLResultIsUnavailable(t *testing.T) {
	h := &fakeHost{}
	c := &conn{h: h}
	res, err := c.ExecContext(context.Background(), "INSERT INTO t VALUES (?)", []driver.NamedValue{{Ordinal: 1, Value: uint64(math.MaxUint64)}})
	require.NoError(t, err)
	assert.Equal(t, []rdbms.ParameterValue{rdbms.MakeParameterValueUint64(math.MaxUint64)}, h.params[0])
	_, err = res.LastInsertId()
	assert.ErrorIs(t, err, ErrResultUnavailable)
	_, err = res.RowsAffected()
	assert.ErrorIs(t, err, ErrResultUnavailable)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.ExecContext(ctx, "DELETE FROM t", nil)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = c.QueryContext(ctx, "SELECT 1", nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, c.Ping(ctx), context.Canceled)
	assert.Len(t, h.ran, 1, "a cancelled context runs nothing")
	require.NoError(t, c.Ping(context.Background()))
	assert.Equal(t, "SELECT 1", h.ran[1], "Ping asks the server")
	require.NoError(t, c.Close())
	assert.True(t, h.closed)
}

func TestMySQLNoHost(t *testing.T) {
	db := Open("mysql://user:secret@db.example.com:3306/app")
	defer db.Close()
	err := db.Ping()
	assert.ErrorIs(t, err, ErrNoHost)
	assert.EqualError(t, err, "mysql: open mysql://user:xxxxx@db.example.com:3306/app: "+ErrNoHost.Error())

	db2, err := sql.Open(DriverName, "mysql://db.example.com/app")
	require.NoError(t, err)
	defer db2.Close()
	_, err = db2.Exec("SELECT 1")
	assert.ErrorIs(t, err, ErrNoHost)
}
