#!/usr/bin/env bash
# Runs every test of spin-go. It installs what the tests need by itself, so
# it works on a fresh machine and in CI (.ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go modules"
go mod download

echo "== servers for the Redis, PostgreSQL, MySQL and MQTT tests (Debian packages)"
# The tests start their own servers on free loopback ports
# (internal/testserver); here we only make sure the programs are installed.
need=()
command -v redis-server >/dev/null || need+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
{ command -v mariadbd || [ -x /usr/sbin/mariadbd ]; } >/dev/null && command -v mariadb-install-db >/dev/null || need+=(mariadb-server)
command -v mariadb >/dev/null || need+=(mariadb-client)
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v mosquitto_sub >/dev/null || need+=(mosquitto-clients)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  apt_install() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"; }
  apt_install || { $sudo apt-get update -q && apt_install; }
fi

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt needs to be run on:"; echo "$unformatted"; exit 1
fi

echo "== go vet (native, and the generated bindings for wasip1/wasm)"
go vet ./...
sdk="./http/... ./kv/... ./variables/... ./sqlite/... ./llm/... ./redis/... ./mqtt/... ./pg/... ./mysql/..."
GOOS=wasip1 GOARCH=wasm go vet ./imports/... ./exports/... $sdk
GOOS=wasip1 GOARCH=wasm go vet -tags spin_wasi02 $sdk
GOOS=wasip1 GOARCH=wasm go vet -tags spin_nethttp_hook ./http/...

echo "== fuzz (bounded)"
fuzztime=${FUZZTIME:-20s}
go test -run='^$' -fuzz='^FuzzParse$' -fuzztime="$fuzztime" ./internal/wit/syntax
go test -run='^$' -fuzz='^FuzzLoad$' -fuzztime="$fuzztime" ./internal/wit

echo "== benchmarks (each runs once: figures for the record, not pass/fail)"
go test -run='^$' -bench=. -benchtime=1x ./...
# A short run of the benchmark command keeps it working; run it in full
# with: go run ./bench -json bench.json
go run ./bench -runs 1 -requests 20 -warmup 20 -stream-mb 16

# The test suite runs last, so that its summary closes the output.
echo "== go test (the end-to-end tests install jco, the WASI shims and Node 26 from npm"
echo "   into the spin-go cache on first use, then build and serve real components)"
go test -count=1 ./...

