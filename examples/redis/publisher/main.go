//go:build wasip1

// Command publisher is the HTTP half of the Redis example: it publishes
// the request's message on the "messages" channel, then sets mykey and
// reads it back.
package main

import (
	"fmt"
	"io"
	"net/http"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/redis"
	"github.com/spin-go/sdk/variables"
)

func main() {}

func init() {
	spinhttp.HandleFunc(func(w http.ResponseWriter, r *http.Request) {
		address, err := variables.Get("redis_address")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		client := redis.NewClient(address)
		defer client.Close()
		message, _ := io.ReadAll(r.Body)
		if err := client.Publish("messages", message); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if err := client.Set("mykey", []byte("myvalue")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		value, err := client.Get("mykey")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "mykey value was: %s", value)
	})
}
