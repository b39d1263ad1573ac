package pg

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type age int32
type name string
type small uint8
type raw []byte
type addr uintptr

type valuerOnPtr struct{ s string }

func (v *valuerOnPtr) Value() (driver.Value, error) { return Decimal(v.s), nil }

func TestPostgresParamValue(t *testing.T) {
	d := Date{2020, time.March, 1}
	zone := time.FixedZone("X", 5*3600+30*60)
	for _, tc := range []struct {
		name string
		in   any
		want any
	}{
		{"nil", nil, nil},
		{"int", 7, int64(7)},
		{"int8", int8(-5), int8(-5)},
		{"int16", int16(-300), int16(-300)},
		{"int32", int32(70000), int32(70000)},
		{"uint8", uint8(200), int16(200)},
		{"uint16", uint16(60000), int32(60000)},
		{"uint32", uint32(4e9), int64(4e9)},
		{"float32", float32(1.5), float32(1.5)},
		{"named int32", age(3), int32(3)},
		{"named string", name("Rover"), "Rover"},
		{"named uint8 goes as bigint", small(200), int64(200)},
		{"named bytes", raw{1}, []byte{1}},
		{"nil named bytes", raw(nil), nil},
		{"nil pointer", (*int32)(nil), nil},
		{"pointer", ptr[int32](9), int32(9)},
		{"pointer to date", &d, d},
		{"nil bytes", []byte(nil), nil},
		{"empty bytes", []byte{}, []byte{}},
		{"time in a zone", time.Date(2024, 1, 2, 3, 4, 5, 6000, zone), time.Date(2024, 1, 1, 21, 34, 5, 6000, time.UTC)},
		{"timestamp", Timestamp{time.Unix(1700000000, 0)}, Timestamp{time.Unix(1700000000, 0)}},
		{"uuid canonical", UUID("{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}"), UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")},
		{"raw message", json.RawMessage(`[1,2]`), JSONB(`[1,2]`)},
		{"nil jsonb", JSONB(nil), nil},
		{"sql.Null invalid", sql.Null[Date]{}, nil},
		{"sql.Null valid keeps the case", sql.Null[Date]{V: d, Valid: true}, d},
		{"sql.NullString", sql.NullString{String: "x", Valid: true}, "x"},
		{"sql.NullInt32", sql.NullInt32{Int32: 4, Valid: true}, int64(4)},
		{"int32 slice", []int32{1, 2}, Int32s(1, 2)},
		{"string slice", []string{"a"}, Strings("a")},
		{"nil slice", []int64(nil), nil},
		{"nil array", Int32Array(nil), nil},
		{"pointer slice", []*int64{nil}, Int64Array{nil}},
		{"decimal slice", []Decimal{"1.5"}, Decimals("1.5")},
		{"valuer on pointer", &valuerOnPtr{"2.50"}, Decimal("2.50")},
		{"range", Range[int64]{Lower: Incl[int64](1)}, Range[int64]{Lower: Incl[int64](1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := paramValue(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			if tm, ok := got.(time.Time); ok {
				assert.Equal(t, time.UTC, tm.Location())
			}
		})
	}
	for _, tc := range []struct {
		name string
		in   any
		msg  string
	}{
		{"uint64 overflow", uint64(1 << 63), "does not fit"},
		{"fraction of a second", Timestamp{time.Unix(1, 5)}, "whole seconds"},
		{"bad uuid", UUID("nope"), "invalid UUID"},
		{"bad json", JSONB("{"), "invalid JSON"},
		{"bad decimal", Decimal("1,5"), "invalid decimal"},
		{"bad decimal in range", Range[Decimal]{Upper: Incl(Decimal("x"))}, "invalid decimal"},
		{"bad decimal in array", DecimalArray{ptr(Decimal("x"))}, "invalid decimal"},
		{"bad date", Date{2023, 2, 29}, "invalid date"},
		{"bad time", Time{Hour: 25}, "invalid time"},
		{"struct", struct{}{}, "has no Postgres parameter form"},
		{"map", map[string]int{}, "has no Postgres parameter form"},
		{"uintptr", addr(1), "has no Postgres parameter form"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := paramValue(tc.in)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

// fakeHost records statements and serves canned rows.
type fakeHost struct {
	execs  []string
	args   [][]any
	rows   [][]any
	cols   []column
	err    error
	closed bool
}

func (f *fakeHost) exec(q string, args []any) (int64, error) {
	f.execs = append(f.execs, q)
	f.args = append(f.args, args)
	return 3, f.err
}

func (f *fakeHost) query(q string, args []any) (*hostRows, error) {
	f.execs = append(f.execs, q)
	f.args = append(f.args, args)
	if f.err != nil {
		return nil, f.err
	}
	i := 0
	return &hostRows{cols: f.cols, next: func() ([]any, error) {
		if i == len(f.rows) {
			return nil, io.EOF
		}
		i++
		return f.rows[i-1], nil
	}, close: func() { f.closed = true }}, nil
}

func (f *fakeHost) close() {}

type fakeConnector struct{ h *fakeHost }

func (c fakeConnector) Connect(context.Context) (driver.Conn, error) { return &conn{h: c.h}, nil }
func (c fakeConnector) Driver() driver.Driver                        { return Driver{} }

func TestPostgresDriverOnFakeHost(t *testing.T) {
	h := &fakeHost{}
	db := sql.OpenDB(fakeConnector{h})
	db.SetMaxOpenConns(1)
	defer db.Close()

	res, err := db.Exec("UPDATE pets SET age = $1 WHERE born = $2", age(4), Date{2020, 3, 1})
	require.NoError(t, err)
	n, _ := res.RowsAffected()
	assert.Equal(t, int64(3), n)
	assert.Equal(t, []any{int32(4), Date{2020, 3, 1}}, h.args[0], "parameters reach the host as their WIT cases")
	_, err = res.LastInsertId()
	assert.ErrorContains(t, err, "RETURNING")

	_, err = db.Exec("SELECT $1", sql.Named("x", 1))
	assert.ErrorContains(t, err, "positional")
	_, err = db.Exec("SELECT $1", struct{}{})
	assert.ErrorContains(t, err, "$1")

	ctx := context.Background()
	for _, tc := range []struct {
		opts *sql.TxOptions
		want string
	}{
		{nil, "BEGIN"},
		{&sql.TxOptions{Isolation: sql.LevelSerializable}, "BEGIN ISOLATION LEVEL SERIALIZABLE"},
		{&sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"},
		{&sql.TxOptions{Isolation: sql.LevelReadCommitted}, "BEGIN ISOLATION LEVEL READ COMMITTED"},
		{&sql.TxOptions{ReadOnly: true}, "BEGIN READ ONLY"},
	} {
		h.execs = nil
		tx, err := db.BeginTx(ctx, tc.opts)
		require.NoError(t, err)
		require.NoError(t, tx.Rollback())
		assert.Equal(t, []string{tc.want, "ROLLBACK"}, h.execs)
	}
	_, err = db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelLinearizable})
	assert.ErrorContains(t, err, "not supported by Postgres")

	h.cols = []column{{"id", "INT4"}, {"born", "DATE"}, {"span", "INT4RANGE"}}
	h.rows = [][]any{
		{int64(1), time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), Range[int32]{Lower: Incl[int32](1)}},
		{int64(2), nil, Range[int32]{}},
	}
	rows, err := db.Query("SELECT id, born, span FROM pets")
	require.NoError(t, err)
	types, err := rows.ColumnTypes()
	require.NoError(t, err)
	assert.Equal(t, "INT4", types[0].DatabaseTypeName())
	assert.Equal(t, "DATE", types[1].DatabaseTypeName())
	assert.Equal(t, "Range[int32]", types[2].ScanType().Name())
	var got []string
	for rows.Next() {
		var id int32
		var born sql.Null[Date]
		var span Range[int32]
		require.NoError(t, rows.Scan(&id, &born, &span))
		got = append(got, fmt.Sprintf("%d %v %v %s", id, born.Valid, born.V, span))
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, []string{"1 true 2020-03-01 [1,)", "2 false 0001-00-00 BC (,)"}, got)
	assert.True(t, h.closed)

	// A cancelled context stops reading rows.
	cctx, cancel := context.WithCancel(ctx)
	rows, err = db.QueryContext(cctx, "SELECT id FROM pets")
	require.NoError(t, err)
	require.True(t, rows.Next())
	cancel()
	for rows.Next() {
	}
	assert.ErrorIs(t, rows.Err(), context.Canceled)
}

func TestPostgresErrors(t *testing.T) {
	e := &Error{Severity: "ERROR", Code: "23505", Message: `duplicate key value violates unique constraint "pets_name_key"`,
		Detail: "Key (name)=(Rover) already exists.", Extras: map[string]string{"constraint": "pets_name_key"}}
	assert.Equal(t, `ERROR: duplicate key value violates unique constraint "pets_name_key" (SQLSTATE 23505); DETAIL: Key (name)=(Rover) already exists.`, e.Error())

	h := &fakeHost{err: e}
	db := sql.OpenDB(fakeConnector{h})
	defer db.Close()
	_, err := db.Exec("INSERT INTO pets (name) VALUES ($1)", "Rover")
	var pgErr *Error
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "23505", pgErr.Code)
	assert.ErrorIs(t, err, ErrQueryFailed)
	assert.Equal(t, `pg: exec "INSERT INTO pets (name) VALUES ($1)": `+e.Error(), err.Error())

	c := &conn{h: h}
	_, err = c.ExecContext(context.Background(), "SELECT 1", nil)
	require.Error(t, err)
	assert.True(t, c.IsValid(), "a server error leaves the connection usable")
	h.err = &hostError{ErrConnectionFailed, "connection reset"}
	_, err = c.QueryContext(context.Background(), "SELECT   1\n  FROM pets", nil)
	assert.ErrorIs(t, err, ErrConnectionFailed)
	assert.Equal(t, `pg: query "SELECT 1 FROM pets": connection failed: connection reset`, err.Error())
	assert.False(t, c.IsValid(), "a host failure retires the connection")
	assert.ErrorIs(t, c.ResetSession(context.Background()), driver.ErrBadConn)
}
