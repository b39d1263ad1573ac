//go:build wasip1

// Command redisclient serves the routes of redisroutes and nothing else
// (no Redis handler), so that it builds for Spin 3's
// fermyon:spin/http-trigger@3.0.0 too, which has no Redis trigger.
package main

import "github.com/spin-go/sdk/internal/e2e/testdata/redisroutes"

func main() {}

func init() { redisroutes.Serve() }
