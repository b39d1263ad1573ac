#!/usr/bin/env bash
# Runs every test of spin-go. It installs what the tests need by itself, so
# it works on a fresh machine and in CI (.ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go modules"
go mod download

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt needs to be run on:"; echo "$unformatted"; exit 1
fi

echo "== go vet (native, and the generated bindings for wasip1/wasm)"
go vet ./...
GOOS=wasip1 GOARCH=wasm go vet ./imports/... ./exports/... ./http/... ./kv/... ./variables/... ./sqlite/... ./llm/...
GOOS=wasip1 GOARCH=wasm go vet -tags spin_wasi02 ./http/... ./kv/... ./variables/... ./sqlite/... ./llm/...

echo "== fuzz (bounded)"
fuzztime=${FUZZTIME:-20s}
go test -run='^$' -fuzz='^FuzzParse$' -fuzztime="$fuzztime" ./internal/wit/syntax
go test -run='^$' -fuzz='^FuzzLoad$' -fuzztime="$fuzztime" ./internal/wit

echo "== benchmarks (each runs once: figures for the record, not pass/fail)"
go test -run='^$' -bench=. -benchtime=1x ./...
# A short run of the benchmark command keeps it working; run it in full
# with: go run ./bench -json bench.json
go run ./bench -runs 1 -requests 20 -stream-mb 16

# The test suite runs last, so that its summary closes the output.
echo "== go test (the end-to-end tests install jco, the WASI shims and Node 26 from npm"
echo "   into the spin-go cache on first use, then build and serve real components)"
go test -count=1 ./...

