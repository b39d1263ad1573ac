// Package redis lets a Spin component handle messages from a Redis channel
// and talk to Redis servers.
//
// A Redis-triggered component registers its handler in init; Spin calls it
// once for every message published on the channel the application's
// [[trigger.redis]] names:
//
//	func init() {
//		redis.Handle(func(payload []byte) error {
//			log.Printf("received %q", payload)
//			return nil
//		})
//	}
//
// Any component can use a server in its allowed_outbound_hosts
// ("redis://host:port"):
//
//	client := redis.NewClient("redis://127.0.0.1:6379")
//	defer client.Close()
//	err := client.Set("mykey", []byte("myvalue"))
//	value, err := client.Get("mykey") // errors.Is(err, redis.ErrNotFound) when missing
//
// The client works in Spin 4 (WASI 0.3) builds, on spin:redis/redis@3.0.0,
// and in Spin 3 (WASI 0.2) builds (-w fermyon:spin/http-trigger@3.0.0), on
// fermyon:spin/redis@2.0.0, with the same API and behaviour.
//
// A program that imports this package exports the Redis trigger's
// interface, and componentize-go adds the Redis trigger's world to the
// component (together with the HTTP trigger's if it also uses spinhttp):
// spin:redis/inbound-redis@3.0.0 (world spin:up/redis-trigger@4.0.0) for
// Spin 4, or, in a Spin 3 build (-w fermyon:spin/redis-trigger@3.0.0),
// Spin 3's fermyon:spin/inbound-redis. Spin 3 cannot carry an error's
// message back: the handler's error is written to the component's log.
package redis

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
)

// ErrNotFound is returned by Get for a key that does not exist; an empty
// value is a value.
var ErrNotFound = errors.New("redis: key not found")

// Errors the host reports (wrapped with the operation and address).
var (
	ErrInvalidAddress     = errors.New("invalid address (or not in the component's allowed_outbound_hosts)")
	ErrTooManyConnections = errors.New("too many connections")
	// ErrWrongType: the value at the key is not of the kind the command
	// works on (Redis's WRONGTYPE).
	ErrWrongType = errors.New("wrong type: the value at the key is not of the kind the command expects")
)

var (
	handlerMu sync.Mutex
	handler   func(payload []byte) error
)

// Handle registers the function Spin calls for each message on the
// component's Redis channel. Call it from init. An error (or a panic,
// which is recovered and logged) tells Spin the message failed; Spin logs
// it and goes on with the next message.
func Handle(fn func(payload []byte) error) {
	handlerMu.Lock()
	defer handlerMu.Unlock()
	handler = fn
}

// handleMessage runs the registered handler and turns panics into errors:
// nothing panics across the component boundary.
func handleMessage(payload []byte) (err error) {
	handlerMu.Lock()
	fn := handler
	handlerMu.Unlock()
	if fn == nil {
		return errors.New("redis: no handler: call redis.Handle in init")
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("redis: handler panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return fn(payload)
}

// Client talks to one Redis server. It connects on first use and again
// after a failure, so a client outlives a server restart. A Client is safe
// for use by several goroutines.
type Client struct {
	address string
	mu      sync.Mutex
	c       conn
}

// conn is one open connection, as the WASI-version specific code provides.
type conn interface {
	publish(channel string, payload []byte) error
	get(key string) ([]byte, bool, error)
	set(key string, value []byte) error
	incr(key string) (int64, error)
	del(keys []string) (int, error)
	sadd(key string, values []string) (int, error)
	smembers(key string) ([]string, error)
	srem(key string, values []string) (int, error)
	execute(command string, args []Arg) ([]Result, error)
	close()
}

// NewClient returns a client for the server at address, a redis:// URL
// that must be in the component's allowed_outbound_hosts.
func NewClient(address string) *Client { return &Client{address: address} }

// Address is the server address the client was made for.
func (c *Client) Address() string { return c.address }

// Close drops the connection, if one is open.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.c != nil {
		c.c.close()
		c.c = nil
	}
	return nil
}

// do runs op on an open connection. After an error other than one about
// the data (wrong type), the connection is dropped so that the next call
// connects afresh: that is how a client recovers from a server restart.
func (c *Client) do(name string, op func(conn) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.c == nil {
		cn, err := open(c.address)
		if err != nil {
			return fmt.Errorf("redis: connecting to %s: %w", c.address, err)
		}
		c.c = cn
	}
	err := op(c.c)
	if err != nil && !errors.Is(err, ErrWrongType) {
		c.c.close()
		c.c = nil
	}
	if err != nil {
		return fmt.Errorf("redis: %s on %s: %w", name, c.address, err)
	}
	return nil
}

// Publish sends payload to every subscriber of channel.
func (c *Client) Publish(channel string, payload []byte) error {
	return c.do("PUBLISH "+channel, func(cn conn) error { return cn.publish(channel, payload) })
}

// Get returns the value of key, or an error wrapping ErrNotFound.
func (c *Client) Get(key string) ([]byte, error) {
	var v []byte
	var ok bool
	err := c.do("GET "+key, func(cn conn) (err error) { v, ok, err = cn.get(key); return })
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, fmt.Errorf("%w: %q on %s", ErrNotFound, key, c.address)
	case v == nil:
		return []byte{}, nil // an empty value, not a missing one
	}
	return v, nil
}

// Set stores value at key, replacing any previous value.
func (c *Client) Set(key string, value []byte) error {
	return c.do("SET "+key, func(cn conn) error { return cn.set(key, value) })
}

// Incr adds one to the integer at key (a missing key counts as 0) and
// returns the new value.
func (c *Client) Incr(key string) (int64, error) {
	var n int64
	err := c.do("INCR "+key, func(cn conn) (err error) { n, err = cn.incr(key); return })
	return n, err
}

// Del deletes keys and returns how many existed.
func (c *Client) Del(keys ...string) (int, error) {
	var n int
	err := c.do("DEL "+strings.Join(keys, " "), func(cn conn) (err error) { n, err = cn.del(keys); return })
	return n, err
}

// Sadd adds members to the set at key and returns how many were new.
func (c *Client) Sadd(key string, members ...string) (int, error) {
	var n int
	err := c.do("SADD "+key, func(cn conn) (err error) { n, err = cn.sadd(key, members); return })
	return n, err
}

// Smembers returns the members of the set at key.
func (c *Client) Smembers(key string) ([]string, error) {
	var m []string
	err := c.do("SMEMBERS "+key, func(cn conn) (err error) { m, err = cn.smembers(key); return })
	return m, err
}

// Srem removes members from the set at key and returns how many were
// there.
func (c *Client) Srem(key string, members ...string) (int, error) {
	var n int
	err := c.do("SREM "+key, func(cn conn) (err error) { n, err = cn.srem(key, members); return })
	return n, err
}

// Execute runs any Redis command. Each argument is an integer (any Go
// integer type), a string or a []byte; the replies come back typed.
func (c *Client) Execute(command string, args ...any) ([]Result, error) {
	wire := make([]Arg, len(args))
	for i, a := range args {
		arg, err := toArg(a)
		if err != nil {
			return nil, fmt.Errorf("redis: %s: argument %d: %w", command, i+1, err)
		}
		wire[i] = arg
	}
	var res []Result
	err := c.do(command, func(cn conn) (err error) { res, err = cn.execute(command, wire); return })
	return res, err
}

// Arg is one argument of Execute on the wire: an integer or bytes.
type Arg struct {
	IsInt bool
	Int   int64
	Bytes []byte
}

func toArg(a any) (Arg, error) {
	switch v := a.(type) {
	case int:
		return Arg{IsInt: true, Int: int64(v)}, nil
	case int8:
		return Arg{IsInt: true, Int: int64(v)}, nil
	case int16:
		return Arg{IsInt: true, Int: int64(v)}, nil
	case int32:
		return Arg{IsInt: true, Int: int64(v)}, nil
	case int64:
		return Arg{IsInt: true, Int: v}, nil
	case uint8:
		return Arg{IsInt: true, Int: int64(v)}, nil
	case uint16:
		return Arg{IsInt: true, Int: int64(v)}, nil
	case uint32:
		return Arg{IsInt: true, Int: int64(v)}, nil
	case string:
		return Arg{Bytes: []byte(v)}, nil
	case []byte:
		return Arg{Bytes: v}, nil
	case nil:
		return Arg{}, errors.New("nil is not a Redis value")
	}
	return Arg{}, fmt.Errorf("%T is not a Redis argument: use an integer, a string or []byte", a)
}

// ResultKind says which field of a Result holds the reply.
type ResultKind uint8

const (
	Nil    ResultKind = iota // no value (a missing key)
	Status                   // a status reply such as "OK", in Result.Status
	Int                      // an integer reply, in Result.Int
	Binary                   // a bulk reply, in Result.Bytes
)

func (k ResultKind) String() string {
	switch k {
	case Nil:
		return "nil"
	case Status:
		return "status"
	case Int:
		return "int"
	case Binary:
		return "binary"
	}
	return fmt.Sprintf("ResultKind(%d)", uint8(k))
}

// Result is one reply value of Execute.
type Result struct {
	Kind   ResultKind
	Status string
	Int    int64
	Bytes  []byte
}

// String formats the reply as redis-cli would.
func (r Result) String() string {
	switch r.Kind {
	case Status:
		return r.Status
	case Int:
		return fmt.Sprintf("(integer) %d", r.Int)
	case Binary:
		return fmt.Sprintf("%q", r.Bytes)
	}
	return "(nil)"
}
