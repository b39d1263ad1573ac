//go:build wasip1

// Command listener is the Redis half of the Redis example: Spin runs it
// for every message on the "messages" channel.
package main

import (
	"fmt"

	"github.com/spin-go/sdk/redis"
)

func main() {}

func init() {
	redis.Handle(func(payload []byte) error {
		fmt.Printf("listener received: %s\n", payload)
		return nil
	})
}
