//go:build wasip1

// Command hello-wasi02 is a WASI 0.2 HTTP handler for Spin 3
// (fermyon:spin/http-trigger@3.0.0) written against the generated
// bindings: it answers every request with "Hello, Spin".
package main

import (
	handler "github.com/spin-go/sdk/exports/fermyon_spin_http_trigger_3_0_0/export_wasi_http_0_2_0_incoming_handler"
	_ "github.com/spin-go/sdk/exports/fermyon_spin_http_trigger_3_0_0/wit_exports"
	. "github.com/spin-go/sdk/imports/wasi_http_0_2_0_types"
	. "go.bytecodealliance.org/pkg/wit/types"
)

// Handle writes the response through the WASI 0.2 outgoing-body stream.
func Handle(request *IncomingRequest, out *ResponseOutparam) {
	headers := FieldsFromList([]Tuple2[FieldKey, FieldValue]{
		{F0: "content-type", F1: []uint8("text/plain")},
	}).Ok()
	response := MakeOutgoingResponse(headers)
	body := response.Body().Ok()
	ResponseOutparamSet(out, Ok[*OutgoingResponse, ErrorCode](response))
	stream := body.Write().Ok()
	stream.BlockingWriteAndFlush([]uint8("Hello, Spin"))
	stream.Drop()
	OutgoingBodyFinish(body, None[*Trailers]())
}

func init() { handler.Exports.Handle = Handle }

func main() {}
