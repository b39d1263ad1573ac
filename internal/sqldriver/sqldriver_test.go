package sqldriver

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeConn records what runs on it.
type fakeConn struct {
	ran  []string
	args [][]driver.NamedValue
	ctxs []context.Context
	err  error
}

func (c *fakeConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.ran, c.args, c.ctxs = append(c.ran, "exec "+query), append(c.args, args), append(c.ctxs, ctx)
	return driver.RowsAffected(1), c.err
}

func (c *fakeConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.ran, c.args, c.ctxs = append(c.ran, "query "+query), append(c.args, args), append(c.ctxs, ctx)
	return nil, c.err
}

// checkingConn also checks arguments.
type checkingConn struct{ fakeConn }

func (c *checkingConn) CheckNamedValue(nv *driver.NamedValue) error {
	if nv.Value == "bad" {
		return errors.New("bad value")
	}
	nv.Value = fmt.Sprint("checked ", nv.Value)
	return nil
}

func TestNamed(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []driver.Value
		want []driver.NamedValue
	}{
		{"none", nil, []driver.NamedValue{}},
		{"one", []driver.Value{int64(1)}, []driver.NamedValue{{Ordinal: 1, Value: int64(1)}}},
		{"several with NULL", []driver.Value{"a", nil, 2.5}, []driver.NamedValue{{Ordinal: 1, Value: "a"}, {Ordinal: 2}, {Ordinal: 3, Value: 2.5}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Named(tc.in))
		})
	}
}

func TestStmt(t *testing.T) {
	ctx := context.WithValue(context.Background(), struct{}{}, "mine")
	args := []driver.NamedValue{{Ordinal: 1, Value: "x"}}
	for _, tc := range []struct {
		name     string
		call     func(*Stmt) error
		want     string
		wantArgs []driver.NamedValue
		ownCtx   bool
	}{
		{"Exec", func(s *Stmt) error { _, err := s.Exec([]driver.Value{"x"}); return err }, "exec SELECT $1", args, false},
		{"Query", func(s *Stmt) error { _, err := s.Query([]driver.Value{"x"}); return err }, "query SELECT $1", args, false},
		{"ExecContext", func(s *Stmt) error { _, err := s.ExecContext(ctx, args); return err }, "exec SELECT $1", args, true},
		{"QueryContext", func(s *Stmt) error { _, err := s.QueryContext(ctx, args); return err }, "query SELECT $1", args, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &fakeConn{err: errors.New("from the conn")}
			s := &Stmt{Conn: c, SQL: "SELECT $1"}
			assert.EqualError(t, tc.call(s), "from the conn", "the connection's error is returned")
			assert.Equal(t, []string{tc.want}, c.ran)
			assert.Equal(t, tc.wantArgs, c.args[0])
			assert.Equal(t, tc.ownCtx, c.ctxs[0] == ctx)
		})
	}
	s := &Stmt{Conn: &fakeConn{}}
	assert.NoError(t, s.Close())
	assert.Equal(t, -1, s.NumInput())
}

func TestStmtCheckNamedValue(t *testing.T) {
	for _, tc := range []struct {
		name    string
		conn    Conn
		in      any
		want    any
		wantErr error
	}{
		{"no checker: database/sql's default", &fakeConn{}, "x", "x", driver.ErrSkip},
		{"the connection's checker", &checkingConn{}, "x", "checked x", nil},
		{"the connection's error", &checkingConn{}, "bad", "bad", errors.New("bad value")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nv := &driver.NamedValue{Ordinal: 1, Value: tc.in}
			err := (&Stmt{Conn: tc.conn}).CheckNamedValue(nv)
			assert.Equal(t, tc.wantErr, err)
			assert.Equal(t, tc.want, nv.Value)
		})
	}
}

func TestTx(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(driver.Tx) error
		want string
		err  error
	}{
		{"commit", driver.Tx.Commit, "exec COMMIT", nil},
		{"rollback", driver.Tx.Rollback, "exec ROLLBACK", nil},
		{"failed commit", driver.Tx.Commit, "exec COMMIT", errors.New("serialization failure")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &fakeConn{err: tc.err}
			assert.Equal(t, tc.err, tc.end(Tx{Conn: c}))
			assert.Equal(t, []string{tc.want}, c.ran)
			assert.Nil(t, c.args[0], "no arguments")
		})
	}
}

type fakeDriver struct{}

func (fakeDriver) Open(string) (driver.Conn, error) { return nil, errors.New("unused") }

type openedConn struct {
	driver.Conn
	name string
}

func TestConnector(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		openErr error
		want    driver.Conn
		wantErr error
		opened  bool
	}{
		{"opens the name", context.Background(), nil, openedConn{name: "db"}, nil, true},
		{"the open error", context.Background(), errors.New("denied"), nil, errors.New("denied"), true},
		{"a done context opens nothing", cancelled, nil, nil, context.Canceled, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opened := false
			c := NewConnector(fakeDriver{}, "db", func(name string) (driver.Conn, error) {
				opened = true
				if tc.openErr != nil {
					return nil, tc.openErr
				}
				return openedConn{name: name}, nil
			})
			got, err := c.Connect(tc.ctx)
			assert.Equal(t, tc.wantErr, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.opened, opened)
			assert.Equal(t, fakeDriver{}, c.Driver())
		})
	}
}

// stream is a fake host stream of rows.
type stream struct {
	rows   [][]any
	err    error // after the rows, instead of io.EOF
	read   int
	closed int
}

func (s *stream) next() ([]any, error) {
	if s.read == len(s.rows) {
		if s.err != nil {
			return nil, s.err
		}
		return nil, io.EOF
	}
	s.read++
	return s.rows[s.read-1], nil
}

func (s *stream) release() { s.closed++ }

func TestRows(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("db: %w", err) }
	hostErr := errors.New("connection reset")
	for _, tc := range []struct {
		name   string
		stream *stream
		cancel int // cancel the context before this row (1-based), or 0
		close  int // Close before this row (1-based), or 0
		want   [][]driver.Value
		err    error
		errMsg string
	}{
		{name: "all rows, then EOF", stream: &stream{rows: [][]any{{int64(1), "a"}, {int64(2), nil}}},
			want: [][]driver.Value{{int64(1), "a"}, {int64(2), nil}}, err: io.EOF},
		{name: "no rows", stream: &stream{}, err: io.EOF},
		{name: "a short row leaves nil", stream: &stream{rows: [][]any{{int64(1), "a"}, {int64(2)}}},
			want: [][]driver.Value{{int64(1), "a"}, {int64(2), nil}}, err: io.EOF},
		{name: "a host error is wrapped", stream: &stream{rows: [][]any{{int64(1), "a"}}, err: hostErr},
			want: [][]driver.Value{{int64(1), "a"}}, err: hostErr, errMsg: "db: connection reset"},
		{name: "a cancelled context stops", stream: &stream{rows: [][]any{{int64(1), "a"}, {int64(2), "b"}}}, cancel: 2,
			want: [][]driver.Value{{int64(1), "a"}}, err: context.Canceled},
		{name: "closed early", stream: &stream{rows: [][]any{{int64(1), "a"}, {int64(2), "b"}}}, close: 2,
			want: [][]driver.Value{{int64(1), "a"}}, err: io.EOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := NewRows(ctx, []string{"id", "name"}, tc.stream.next, tc.stream.release, wrap)
			assert.Equal(t, []string{"id", "name"}, r.Columns())
			var got [][]driver.Value
			dest := []driver.Value{"stale", "stale"}
			var err error
			for i := 1; ; i++ {
				if i == tc.cancel {
					cancel()
				}
				if i == tc.close {
					require.NoError(t, r.Close())
				}
				if err = r.Next(dest); err != nil {
					break
				}
				got = append(got, append([]driver.Value(nil), dest...))
			}
			assert.Equal(t, tc.want, got)
			assert.ErrorIs(t, err, tc.err)
			if tc.errMsg != "" {
				assert.EqualError(t, err, tc.errMsg)
			}
			assert.Equal(t, 1, tc.stream.closed, "the stream is released at its end")
			require.NoError(t, r.Close())
			assert.Equal(t, io.EOF, r.Next(dest), "closed rows are at their end")
			assert.Equal(t, 1, tc.stream.closed, "and released once")
		})
	}
}

type (
	age   int16
	name  string
	raw   []byte
	flag  bool
	big   uint64
	tiny  uint8
	ratio float32
	count int
	addr  uintptr
)

func TestBasic(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want any
		ok   bool
	}{
		{true, true, true},
		{flag(true), true, true},
		{int8(math.MinInt8), int8(math.MinInt8), true},
		{age(-3), int16(-3), true},
		{int32(7), int32(7), true},
		{count(-9), int64(-9), true},
		{int64(math.MinInt64), int64(math.MinInt64), true},
		{tiny(255), uint8(255), true},
		{uint16(math.MaxUint16), uint16(math.MaxUint16), true},
		{uint32(math.MaxUint32), uint32(math.MaxUint32), true},
		{uint(5), uint64(5), true},
		{big(math.MaxUint64), uint64(math.MaxUint64), true},
		{ratio(0.5), float32(0.5), true},
		{math.Pi, math.Pi, true},
		{name("Rover"), "Rover", true},
		{raw{0, 1}, []byte{0, 1}, true},
		{raw(nil), []byte(nil), true},
		{addr(1), nil, false},
		{[]int{1}, nil, false},
		{struct{}{}, nil, false},
		{map[string]int{}, nil, false},
		{complex(1, 2), nil, false},
		{new(int), nil, false},
	} {
		t.Run(fmt.Sprintf("%T", tc.in), func(t *testing.T) {
			got, ok := Basic(reflect.ValueOf(tc.in))
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

type valuer struct{}

func (valuer) Value() (driver.Value, error) { return nil, nil }

func TestValuerType(t *testing.T) {
	for _, tc := range []struct {
		typ  reflect.Type
		want bool
	}{
		{reflect.TypeFor[valuer](), true},
		{reflect.TypeFor[*valuer](), true},
		{reflect.TypeFor[string](), false},
	} {
		assert.Equal(t, tc.want, tc.typ.Implements(ValuerType), tc.typ.String())
	}
}
