//go:build wasip1

// Command redisweb is the seed's Redis demo as an HTTP component (the
// routes of redisroutes). It also handles messages on a channel of its own
// (an HTTP and Redis component in one, built for both worlds).
package main

import (
	"github.com/spin-go/sdk/internal/e2e/testdata/redisroutes"
	"github.com/spin-go/sdk/redis"
)

func main() {}

func init() {
	client := redisroutes.Serve()
	redis.Handle(func(payload []byte) error {
		_, err := client.Execute("RPUSH", "audit", payload)
		return err
	})
}
