//go:build wasip1

// Command raw-hello is the raw WASI 0.3 HTTP handler written directly against
// the generated bindings: it answers every request with "Hello, Spin".
package main

import (
	handler "github.com/spin-go/sdk/exports/wasi_http_service_0_3_0_rc_2026_03_15/export_wasi_http_0_3_0_rc_2026_03_15_handler"
	_ "github.com/spin-go/sdk/exports/wasi_http_service_0_3_0_rc_2026_03_15/wit_exports"
	. "github.com/spin-go/sdk/imports/wasi_http_0_3_0_rc_2026_03_15_types"
	. "go.bytecodealliance.org/pkg/wit/types"
)

// Handle answers with a streamed text body.
func Handle(request *Request) Result[*Response, ErrorCode] {
	tx, rx := MakeStreamU8()
	go func() {
		defer tx.Drop()
		tx.WriteAll([]uint8("Hello, Spin"))
	}()
	response, send := ResponseNew(
		FieldsFromList([]Tuple2[string, []uint8]{
			{F0: "content-type", F1: []uint8("text/plain")},
		}).Ok(),
		Some(rx),
		trailersFuture(),
	)
	send.Drop()
	return Ok[*Response, ErrorCode](response)
}

// trailersFuture resolves the response trailers to "none".
func trailersFuture() *FutureReader[Result[Option[*Fields], ErrorCode]] {
	tx, rx := MakeFutureResultOptionFieldsErrorCode()
	go tx.Write(Ok[Option[*Fields], ErrorCode](None[*Fields]()))
	return rx
}

func init() { handler.Exports.Handle = Handle }

func main() {}
