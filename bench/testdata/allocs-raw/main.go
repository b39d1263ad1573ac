//go:build wasip1

// Command allocs-raw is examples/raw-hello with one header more: the number
// of heap allocations and bytes the instance has made so far, which the
// bench reads twice to get the allocations of a request.
package main

import (
	"runtime"
	"strconv"

	handler "github.com/spin-go/sdk/exports/wasi_http_service_0_3_0_rc_2026_03_15/export_wasi_http_0_3_0_rc_2026_03_15_handler"
	_ "github.com/spin-go/sdk/exports/wasi_http_service_0_3_0_rc_2026_03_15/wit_exports"
	. "github.com/spin-go/sdk/imports/wasi_http_0_3_0_rc_2026_03_15_types"
	. "go.bytecodealliance.org/pkg/wit/types"
)

var stats runtime.MemStats

// Handle answers as raw-hello does.
func Handle(request *Request) Result[*Response, ErrorCode] {
	runtime.ReadMemStats(&stats)
	allocs := strconv.FormatUint(stats.Mallocs, 10) + " " + strconv.FormatUint(stats.TotalAlloc, 10)
	tx, rx := MakeStreamU8()
	go func() {
		defer tx.Drop()
		tx.WriteAll([]uint8("Hello, Spin"))
	}()
	ttx, trx := MakeFutureResultOptionFieldsErrorCode()
	go ttx.Write(Ok[Option[*Fields], ErrorCode](None[*Fields]()))
	response, send := ResponseNew(
		FieldsFromList([]Tuple2[string, []uint8]{
			{F0: "content-type", F1: []uint8("text/plain")},
			{F0: "allocs", F1: []uint8(allocs)},
		}).Ok(),
		Some(rx),
		trx,
	)
	send.Drop()
	return Ok[*Response, ErrorCode](response)
}

func init() { handler.Exports.Handle = Handle }

func main() {}
