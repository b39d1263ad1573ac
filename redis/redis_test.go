package redis

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestToArg(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want Arg
		err  string
	}{
		{42, Arg{IsInt: true, Int: 42}, ""},
		{int8(-8), Arg{IsInt: true, Int: -8}, ""},
		{int64(-1 << 63), Arg{IsInt: true, Int: -1 << 63}, ""},
		{uint32(1 << 31), Arg{IsInt: true, Int: 1 << 31}, ""},
		{"text", Arg{Bytes: []byte("text")}, ""},
		{[]byte{0, 255}, Arg{Bytes: []byte{0, 255}}, ""},
		{nil, Arg{}, "nil is not a Redis value"},
		{uint64(1), Arg{}, "uint64 is not a Redis argument"},
		{1.5, Arg{}, "float64 is not a Redis argument"},
	} {
		got, err := toArg(tc.in)
		if tc.err != "" {
			assert.ErrorContains(t, err, tc.err, "%v", tc.in)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "%v", tc.in)
	}
}

func TestHandleMessage(t *testing.T) {
	t.Cleanup(func() { Handle(nil) })
	assert.ErrorContains(t, handleMessage(nil), "no handler: call redis.Handle in init")

	var got []byte
	Handle(func(p []byte) error { got = p; return nil })
	require.NoError(t, handleMessage([]byte("hi")))
	assert.Equal(t, "hi", string(got))

	Handle(func([]byte) error { return errors.New("bad message") })
	assert.EqualError(t, handleMessage(nil), "bad message")

	Handle(func([]byte) error { panic("boom") })
	assert.ErrorContains(t, handleMessage(nil), "redis: handler panicked: boom")
}

func TestResultString(t *testing.T) {
	assert.Equal(t, "(nil)", Result{}.String())
	assert.Equal(t, "OK", Result{Kind: Status, Status: "OK"}.String())
	assert.Equal(t, "(integer) -3", Result{Kind: Int, Int: -3}.String())
	assert.Equal(t, `"a\x00"`, Result{Kind: Binary, Bytes: []byte("a\x00")}.String())
	assert.Equal(t, "binary", Binary.String())
}

func TestNoHostIsAnError(t *testing.T) {
	c := NewClient("redis://127.0.0.1:6379")
	err := c.Set("k", nil)
	assert.ErrorContains(t, err, "redis: connecting to redis://127.0.0.1:6379: Redis connections are made by the Spin host")
	assert.NoError(t, c.Close())
}
