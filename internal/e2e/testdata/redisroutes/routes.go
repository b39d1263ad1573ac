// Package redisroutes is the HTTP side of the Redis test apps: the seed's
// demo (publish, set, get), a plain get and publish, every client call
// with its result (/ops) and a denied address. redisweb (with a Redis
// handler too, on Spin 4 and Spin 3) serves it.
package redisroutes

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/redis"
)

// Serve handles HTTP requests with the routes on a client of $REDIS_URL,
// and returns the client.
func Serve() *redis.Client {
	client := redis.NewClient(os.Getenv("REDIS_URL"))
	spinhttp.Handle(Mux(client).ServeHTTP)
	return client
}

func fail(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

// Mux serves the routes on client.
func Mux(client *redis.Client) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/demo", func(w http.ResponseWriter, r *http.Request) {
		if err := client.Publish("messages", []byte(r.URL.Query().Get("message"))); err != nil {
			fail(w, err)
			return
		}
		if err := client.Set("mykey", []byte("myvalue")); err != nil {
			fail(w, err)
			return
		}
		v, err := client.Get("mykey")
		if err != nil {
			fail(w, err)
			return
		}
		fmt.Fprintf(w, "mykey value was: %s", v)
	})
	mux.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		v, err := client.Get(r.URL.Query().Get("key"))
		if errors.Is(err, redis.ErrNotFound) {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		if err != nil {
			fail(w, err)
			return
		}
		w.Write(v)
	})
	mux.HandleFunc("/publish", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if err := client.Publish(q.Get("channel"), []byte(q.Get("message"))); err != nil {
			fail(w, err)
			return
		}
		fmt.Fprint(w, "published")
	})
	mux.HandleFunc("/ops", func(w http.ResponseWriter, r *http.Request) {
		var out []string
		say := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
		n1, err1 := client.Incr("counter")
		n2, err2 := client.Incr("counter")
		say("incr %d %d %v %v", n1, n2, err1, err2)
		bin := []byte{0, 1, 2, 255, 'x'}
		say("set binary %v", client.Set("bin", bin))
		got, err := client.Get("bin")
		say("get binary %q %v", got, err)
		say("set empty %v", client.Set("empty", nil))
		got, err = client.Get("empty")
		say("get empty %q nil=%v %v", got, got == nil, err)
		_, err = client.Get("missing")
		say("get missing notfound=%v", errors.Is(err, redis.ErrNotFound))
		n, err := client.Sadd("pets", "cat", "dog", "cat", "fish")
		say("sadd %d %v", n, err)
		members, err := client.Smembers("pets")
		say("smembers %d %v", len(members), err)
		n, err = client.Srem("pets", "fish", "bird")
		say("srem %d %v", n, err)
		n, err = client.Del("counter", "bin", "nothing")
		say("del %d %v", n, err)
		_, err = client.Incr("pets")
		say("incr on a set wrongtype=%v", errors.Is(err, redis.ErrWrongType))
		res, err := client.Execute("SET", "big", int64(9007199254740993))
		say("execute set %v %v", res, err)
		res, err = client.Execute("INCRBY", "big", 1)
		say("execute incrby %v %v", res, err)
		res, err = client.Execute("MGET", "big", "missing", "empty")
		say("execute mget %v %v", res, err)
		res, err = client.Execute("SMEMBERS", "pets")
		say("execute smembers %d %v", len(res), err)
		_, err = client.Execute("NOSUCHCOMMAND", "x")
		say("execute unknown %v", err != nil && strings.Contains(err.Error(), "unknown command"))
		_, err = client.Execute("SET", "k", 1.5)
		say("execute float: %v", err)
		fmt.Fprint(w, strings.Join(out, "\n"))
	})
	mux.HandleFunc("/denied", func(w http.ResponseWriter, r *http.Request) {
		other := redis.NewClient("redis://127.0.0.1:1")
		err := other.Set("k", []byte("v"))
		fmt.Fprintf(w, "invalid=%v err=%v", errors.Is(err, redis.ErrInvalidAddress), err)
	})
	return mux
}
