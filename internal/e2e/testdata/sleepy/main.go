//go:build wasip1

// Command sleepy checks that timers work inside an async export: the
// handler sleeps, waits on time.After, and streams a body from a goroutine
// that sleeps between chunks.
package main

import (
	"fmt"
	"time"

	handler "github.com/spin-go/sdk/exports/wasi_http_service_0_3_0_rc_2026_03_15/export_wasi_http_0_3_0_rc_2026_03_15_handler"
	_ "github.com/spin-go/sdk/exports/wasi_http_service_0_3_0_rc_2026_03_15/wit_exports"
	. "github.com/spin-go/sdk/imports/wasi_http_0_3_0_rc_2026_03_15_types"
	. "go.bytecodealliance.org/pkg/wit/types"
)

func handle(request *Request) Result[*Response, ErrorCode] {
	start := time.Now()
	time.Sleep(30 * time.Millisecond)
	<-time.After(20 * time.Millisecond)
	slept := time.Since(start)
	tx, rx := MakeStreamU8()
	go func() {
		defer tx.Drop()
		for i := 0; i < 3; i++ {
			time.Sleep(10 * time.Millisecond)
			tx.WriteAll([]uint8(fmt.Sprintf("chunk %d\n", i)))
		}
		tx.WriteAll([]uint8(fmt.Sprintf("slept %v\n", slept >= 50*time.Millisecond)))
	}()
	trailersTx, trailersRx := MakeFutureResultOptionFieldsErrorCode()
	go trailersTx.Write(Ok[Option[*Fields], ErrorCode](None[*Fields]()))
	response, send := ResponseNew(MakeFields(), Some(rx), trailersRx)
	send.Drop()
	return Ok[*Response, ErrorCode](response)
}

func init() { handler.Exports.Handle = handle }

func main() {}
