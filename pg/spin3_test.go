package pg

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rdbms "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_rdbms_types"
)

func TestPostgresSpin3Params(t *testing.T) {
	for _, in := range []any{nil, true, int8(-1), int16(2), int32(3), int64(4), 7, uint8(200), uint32(4e9),
		float32(1.5), 2.5, "héllo", []byte{0, 1}, []byte(nil), (*int32)(nil), sql.NullString{String: "x", Valid: true}, age(3)} {
		v, err := paramValue(in)
		require.NoError(t, err)
		assert.NoError(t, spin3Param(1, in, v), "%T", in)
	}
	got, err := params02([]any{nil, true, int8(-1), int16(2), int32(3), int64(4), float32(1.5), 2.5, "héllo", []byte{0, 0}})
	require.NoError(t, err)
	assert.Equal(t, []rdbms.ParameterValue{
		rdbms.MakeParameterValueDbNull(), rdbms.MakeParameterValueBoolean(true), rdbms.MakeParameterValueInt8(-1),
		rdbms.MakeParameterValueInt16(2), rdbms.MakeParameterValueInt32(3), rdbms.MakeParameterValueInt64(4),
		rdbms.MakeParameterValueFloating32(1.5), rdbms.MakeParameterValueFloating64(2.5),
		rdbms.MakeParameterValueStr("héllo"), rdbms.MakeParameterValueBinary([]byte{0, 0}),
	}, got)

	for _, tc := range []struct {
		in         any
		name, cast string
	}{
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "time.Time", "timestamp"},
		{Timestamp{time.Unix(1, 0)}, "pg.Timestamp", "timestamptz"},
		{Date{2024, 2, 29}, "pg.Date", "date"},
		{sql.Null[Date]{V: Date{2024, 2, 29}, Valid: true}, "sql.Null[github.com/spin-go/sdk/pg.Date]", "date"},
		{Time{Hour: 1}, "pg.Time", "time"},
		{UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "pg.UUID", "uuid"},
		{json.RawMessage(`{}`), "json.RawMessage", "jsonb"},
		{JSON[int]{V: 1}, "pg.JSON[int]", "jsonb"},
		{Decimal("1.5"), "pg.Decimal", "numeric"},
		{Interval{Days: 1}, "pg.Interval", "interval"},
		{Range[int32]{}, "pg.Range[int32]", "int4range"},
		{Range[Decimal]{}, "pg.Range[github.com/spin-go/sdk/pg.Decimal]", "numrange"},
		{[]int32{1}, "[]int32", "int4[]"},
		{Int64s(1), "pg.Int64Array", "int8[]"},
		{[]string{"a"}, "[]string", "text[]"},
		{Decimals("1"), "pg.DecimalArray", "numeric[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := paramValue(tc.in)
			require.NoError(t, err)
			err = spin3Param(4, tc.in, v)
			assert.ErrorIs(t, err, ErrBadParameter)
			assert.EqualError(t, err, "bad parameter: "+tc.name+" needs Spin 4 (spin:postgres/postgres@4.2.0): this Spin 3 (WASI 0.2) build's fermyon:spin/postgres@2.0.0 carries only bool, integers, floats, string, []byte and NULL; send its text as a string and cast it in SQL ($4::text::"+tc.cast+")")
		})
	}
	_, err = params02([]any{Date{2024, 2, 29}})
	assert.ErrorIs(t, err, ErrBadParameter)
}

// fakeHost02 serves a row set through the Spin 3 conversions.
type fakeHost02 struct {
	set  rdbms.RowSet
	args [][]rdbms.ParameterValue
	err  error
}

func (f *fakeHost02) exec(q string, args []any) (int64, error) {
	p, err := params02(args)
	f.args = append(f.args, p)
	if err == nil {
		err = f.err
	}
	return 1, err
}

func (f *fakeHost02) query(q string, args []any) (*hostRows, error) {
	if _, err := f.exec(q, args); err != nil {
		return nil, err
	}
	return rows02(f.set), nil
}

func (f *fakeHost02) close() {}

func TestPostgresSpin3Rows(t *testing.T) {
	h := &fakeHost02{set: rdbms.RowSet{
		Columns: []rdbms.Column{{Name: "b", DataType: rdbms.DbDataTypeBoolean}, {Name: "i2", DataType: rdbms.DbDataTypeInt16},
			{Name: "i8", DataType: rdbms.DbDataTypeInt64}, {Name: "f4", DataType: rdbms.DbDataTypeFloating32},
			{Name: "t", DataType: rdbms.DbDataTypeStr}, {Name: "by", DataType: rdbms.DbDataTypeBinary}, {Name: "born", DataType: rdbms.DbDataTypeOther}},
		Rows: []rdbms.Row{
			{rdbms.MakeDbValueBoolean(true), rdbms.MakeDbValueInt16(math.MinInt16), rdbms.MakeDbValueInt64(math.MaxInt64),
				rdbms.MakeDbValueFloating32(1.5), rdbms.MakeDbValueStr("世界"), rdbms.MakeDbValueBinary(nil), rdbms.MakeDbValueDbNull()},
			{rdbms.MakeDbValueDbNull(), rdbms.MakeDbValueDbNull(), rdbms.MakeDbValueDbNull(), rdbms.MakeDbValueDbNull(),
				rdbms.MakeDbValueDbNull(), rdbms.MakeDbValueDbNull(), rdbms.MakeDbValueUnsupported()},
		},
	}}
	c := &conn{h: h}
	dr, err := c.QueryContext(context.Background(), "SELECT b, i2, i8, f4, t, by, born FROM t WHERE id = $1", nil)
	require.NoError(t, err)
	r := dr.(*rows)
	assert.Equal(t, []string{"b", "i2", "i8", "f4", "t", "by", "born"}, r.Columns())
	var names []string
	for i := range r.cols {
		names = append(names, r.ColumnTypeDatabaseTypeName(i))
	}
	assert.Equal(t, []string{"BOOL", "INT2", "INT8", "FLOAT4", "TEXT", "BYTEA", ""}, names)
	assert.Equal(t, "float64", r.ColumnTypeScanType(3).String())
	assert.Equal(t, "interface {}", r.ColumnTypeScanType(6).String())
	dest := make([]driver.Value, 7)
	require.NoError(t, r.Next(dest))
	assert.Equal(t, []driver.Value{true, int64(math.MinInt16), int64(math.MaxInt64), 1.5, "世界", []byte{}, nil}, dest)
	err = r.Next(dest)
	assert.ErrorIs(t, err, ErrValueConversion)
	assert.EqualError(t, err, `pg: reading rows of "SELECT b, i2, i8, f4, t, by, born FROM t WHERE id = $1": value conversion failed: column born: its type has no form in this Spin 3 (WASI 0.2) build's fermyon:spin/postgres@2.0.0 (only bool, integers, floats, text and bytea); cast it in SQL (::text) or build for Spin 4`)
	assert.True(t, c.IsValid(), "a value without a form leaves the connection usable")

	n, err := c.ExecContext(context.Background(), "UPDATE t SET i2 = $1", nil)
	require.NoError(t, err)
	affected, _ := n.RowsAffected()
	assert.Equal(t, int64(1), affected)
}

func TestPostgresSpin3Errors(t *testing.T) {
	for _, tc := range []struct {
		in   rdbms.Error
		kind error
		text string
	}{
		{rdbms.MakeErrorConnectionFailed("address postgres://x:1 is not permitted"), ErrConnectionFailed, "connection failed: address postgres://x:1 is not permitted"},
		{rdbms.MakeErrorBadParameter("b"), ErrBadParameter, "bad parameter: b"},
		{rdbms.MakeErrorQueryFailed(`ERROR:  duplicate key value violates unique constraint "pets_name_key"`), ErrQueryFailed, `query failed: ERROR:  duplicate key value violates unique constraint "pets_name_key"`},
		{rdbms.MakeErrorValueConversionFailed("v"), ErrValueConversion, "value conversion failed: v"},
		{rdbms.MakeErrorOther("o"), ErrOther, "postgres host error: o"},
	} {
		err := hostErr02(tc.in)
		assert.ErrorIs(t, err, tc.kind)
		assert.EqualError(t, err, tc.text)
		var pgErr *Error
		assert.False(t, errors.As(err, &pgErr), "the interface has no server error fields")
	}
	h := &fakeHost02{err: hostErr02(rdbms.MakeErrorQueryFailed("ERROR:  boom"))}
	c := &conn{h: h}
	_, err := c.ExecContext(context.Background(), "SELECT boom()", nil)
	assert.EqualError(t, err, `pg: exec "SELECT boom()": query failed: ERROR:  boom`)
	assert.ErrorIs(t, err, ErrQueryFailed)
}
