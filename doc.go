// Package sdk is the root of spin-go, the Go SDK for writing Spin
// applications as WebAssembly components.
//
// The generated bindings in imports/ and exports/ are produced from wit/
// by componentize-go; run `go generate` here after changing wit/ or the
// generator. A test fails when the checked-in bindings are not current.
package sdk

//go:generate go run ./cmd/componentize-go -w spin:up/http-trigger@4.0.0 bindings -o .
//go:generate go run ./cmd/componentize-go -w spin:up/redis-trigger@4.0.0 bindings -o .
//go:generate go run ./cmd/componentize-go -w wasi:http/service@0.3.0-rc-2026-03-15 bindings -o .
//go:generate go run ./cmd/componentize-go -w fermyon:spin/http-trigger@3.0.0 bindings -o .
//go:generate go run ./cmd/componentize-go -w fermyon:spin/redis-trigger@3.0.0 bindings -o .
