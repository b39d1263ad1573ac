module github.com/spin-go/sdk/bench/wasmtime

go 1.25

require github.com/bytecodealliance/wasmtime-go/v44 v44.0.0
