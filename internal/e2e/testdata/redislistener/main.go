//go:build wasip1

// Command redislistener is a Redis-triggered component: every message on
// its channel is pushed onto the list "received". The message "fail"
// returns an error and "panic" panics; the host logs both and goes on.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spin-go/sdk/redis"
)

func main() {}

func init() {
	client := redis.NewClient(os.Getenv("REDIS_URL"))
	redis.Handle(func(payload []byte) error {
		switch string(payload) {
		case "fail":
			return errors.New("told to fail")
		case "panic":
			panic("told to panic")
		}
		fmt.Printf("redislistener received %q\n", payload)
		_, err := client.Execute("RPUSH", "received", payload)
		return err
	})
}
