//go:build wasip1

// Command echobody streams the request body back as the response body and
// forwards the request trailers as response trailers, chunk by chunk, so
// that memory stays bounded whatever the size.
package main

import (
	handler "github.com/spin-go/sdk/exports/wasi_http_service_0_3_0_rc_2026_03_15/export_wasi_http_0_3_0_rc_2026_03_15_handler"
	_ "github.com/spin-go/sdk/exports/wasi_http_service_0_3_0_rc_2026_03_15/wit_exports"
	. "github.com/spin-go/sdk/imports/wasi_http_0_3_0_rc_2026_03_15_types"
	. "go.bytecodealliance.org/pkg/wit/types"
)

func handle(request *Request) Result[*Response, ErrorCode] {
	doneTx, doneRx := MakeFutureResultUnitErrorCode()
	body, trailers := RequestConsumeBody(request, doneRx)
	tx, rx := MakeStreamU8()
	go func() {
		defer tx.Drop()
		buf := make([]uint8, 64*1024)
		for !body.WriterDropped() {
			n := body.Read(buf)
			if n > 0 {
				tx.WriteAll(buf[:n])
			}
		}
		body.Drop()
		doneTx.Write(Ok[Unit, ErrorCode](Unit{}))
	}()
	trailersTx, trailersRx := MakeFutureResultOptionFieldsErrorCode()
	go func() { trailersTx.Write(trailers.Read()) }()
	headers := FieldsFromList([]Tuple2[string, []uint8]{{F0: "content-type", F1: []uint8("application/octet-stream")}}).Ok()
	response, send := ResponseNew(headers, Some(rx), trailersRx)
	send.Drop()
	return Ok[*Response, ErrorCode](response)
}

func init() { handler.Exports.Handle = handle }

func main() {}
