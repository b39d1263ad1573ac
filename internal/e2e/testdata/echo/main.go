//go:build wasip1

// Command echo implements the ABI conformance world: every export returns
// its input unchanged.
package main

import (
	asyncecho "example.com/echo/exports/test_echo_echo_0_1_0/export_test_echo_0_1_0_async_echo"
	syncecho "example.com/echo/exports/test_echo_echo_0_1_0/export_test_echo_0_1_0_sync_echo"
	_ "example.com/echo/exports/test_echo_echo_0_1_0/wit_exports"
	. "example.com/echo/imports/test_echo_0_1_0_types"
	. "go.bytecodealliance.org/pkg/wit/types"
)

type counter struct{ n uint32 }

func (c *counter) Get() uint32 { return c.n }

func (c *counter) Add(n uint32) uint32 { c.n += n; return c.n }

func init() {
	syncecho.Exports.EchoBool = func(x bool) bool { return x }
	syncecho.Exports.EchoU8 = func(x uint8) uint8 { return x }
	syncecho.Exports.EchoS8 = func(x int8) int8 { return x }
	syncecho.Exports.EchoU16 = func(x uint16) uint16 { return x }
	syncecho.Exports.EchoS16 = func(x int16) int16 { return x }
	syncecho.Exports.EchoU32 = func(x uint32) uint32 { return x }
	syncecho.Exports.EchoS32 = func(x int32) int32 { return x }
	syncecho.Exports.EchoU64 = func(x uint64) uint64 { return x }
	syncecho.Exports.EchoS64 = func(x int64) int64 { return x }
	syncecho.Exports.EchoF32 = func(x float32) float32 { return x }
	syncecho.Exports.EchoF64 = func(x float64) float64 { return x }
	syncecho.Exports.EchoChar = func(x rune) rune { return x }
	syncecho.Exports.EchoString = func(x string) string { return x }
	syncecho.Exports.EchoEverything = func(x Everything) Everything { return x }
	syncecho.Exports.EchoShape = func(x Shape) Shape { return x }
	syncecho.Exports.EchoColor = func(x Color) Color { return x }
	syncecho.Exports.EchoPerms = func(x Perms) Perms { return x }
	syncecho.Exports.EchoSmall = func(x Small) Small { return x }
	syncecho.Exports.EchoOption = func(x Option[Point]) Option[Point] { return x }
	syncecho.Exports.EchoResult = func(x Result[string, Shape]) Result[string, Shape] { return x }
	syncecho.Exports.EchoResultEmpty = func(x Result[Unit, Unit]) Result[Unit, Unit] { return x }
	syncecho.Exports.EchoLists = func(x [][]string) [][]string { return x }
	syncecho.Exports.EchoBytes = func(x []uint8) []uint8 { return x }
	syncecho.Exports.EchoPoints = func(x []Point) []Point { return x }
	syncecho.Exports.EchoFloats = func(x []float64) []float64 { return x }
	syncecho.Exports.EchoTuple = func(x Tuple4[uint8, string, float64, rune]) (uint8, string, float64, rune) {
		return x.F0, x.F1, x.F2, x.F3
	}
	syncecho.Exports.ManyHead = func(a uint8, b int16, c uint32, d int64, e float32, f float64, g string, h bool, i rune, j uint64, k int8, l uint16, m int32, n float32, o float64, p string, q uint8) (uint8, int16, uint32, int64, float32, float64, string, bool, rune, uint64) {
		return a, b, c, d, e, f, g, h, i, j
	}
	syncecho.Exports.ManyTail = func(a uint8, b int16, c uint32, d int64, e float32, f float64, g string, h bool, i rune, j uint64, k int8, l uint16, m int32, n float32, o float64, p string, q uint8) (int8, uint16, int32, float32, float64, string, uint8) {
		return k, l, m, n, o, p, q
	}
	syncecho.Exports.MakeCounter = func(start uint32) syncecho.Counter { return &counter{n: start} }
	syncecho.Exports.NewCounter = func(start uint32) syncecho.Counter { return &counter{n: start} }
	syncecho.Exports.CounterValue = func(c syncecho.Counter) uint32 { return c.Get() }
	syncecho.Exports.TakeCounter = func(c syncecho.Counter) uint32 { return c.Get() }
	syncecho.Exports.CharCode = func(x rune) uint32 { return uint32(x) }
	asyncecho.Exports.EchoBool = func(x bool) bool { return x }
	asyncecho.Exports.EchoU8 = func(x uint8) uint8 { return x }
	asyncecho.Exports.EchoS8 = func(x int8) int8 { return x }
	asyncecho.Exports.EchoU16 = func(x uint16) uint16 { return x }
	asyncecho.Exports.EchoS16 = func(x int16) int16 { return x }
	asyncecho.Exports.EchoU32 = func(x uint32) uint32 { return x }
	asyncecho.Exports.EchoS32 = func(x int32) int32 { return x }
	asyncecho.Exports.EchoU64 = func(x uint64) uint64 { return x }
	asyncecho.Exports.EchoS64 = func(x int64) int64 { return x }
	asyncecho.Exports.EchoF32 = func(x float32) float32 { return x }
	asyncecho.Exports.EchoF64 = func(x float64) float64 { return x }
	asyncecho.Exports.EchoChar = func(x rune) rune { return x }
	asyncecho.Exports.EchoString = func(x string) string { return x }
	asyncecho.Exports.EchoEverything = func(x Everything) Everything { return x }
	asyncecho.Exports.EchoShape = func(x Shape) Shape { return x }
	asyncecho.Exports.EchoColor = func(x Color) Color { return x }
	asyncecho.Exports.EchoPerms = func(x Perms) Perms { return x }
	asyncecho.Exports.EchoSmall = func(x Small) Small { return x }
	asyncecho.Exports.EchoOption = func(x Option[Point]) Option[Point] { return x }
	asyncecho.Exports.EchoResult = func(x Result[string, Shape]) Result[string, Shape] { return x }
	asyncecho.Exports.EchoResultEmpty = func(x Result[Unit, Unit]) Result[Unit, Unit] { return x }
	asyncecho.Exports.EchoLists = func(x [][]string) [][]string { return x }
	asyncecho.Exports.EchoBytes = func(x []uint8) []uint8 { return x }
	asyncecho.Exports.EchoPoints = func(x []Point) []Point { return x }
	asyncecho.Exports.EchoFloats = func(x []float64) []float64 { return x }
	asyncecho.Exports.EchoTuple = func(x Tuple4[uint8, string, float64, rune]) (uint8, string, float64, rune) {
		return x.F0, x.F1, x.F2, x.F3
	}
	asyncecho.Exports.ManyHead = func(a uint8, b int16, c uint32, d int64, e float32, f float64, g string, h bool, i rune, j uint64, k int8, l uint16, m int32, n float32, o float64, p string, q uint8) (uint8, int16, uint32, int64, float32, float64, string, bool, rune, uint64) {
		return a, b, c, d, e, f, g, h, i, j
	}
	asyncecho.Exports.ManyTail = func(a uint8, b int16, c uint32, d int64, e float32, f float64, g string, h bool, i rune, j uint64, k int8, l uint16, m int32, n float32, o float64, p string, q uint8) (int8, uint16, int32, float32, float64, string, uint8) {
		return k, l, m, n, o, p, q
	}
	asyncecho.Exports.MakeCounter = func(start uint32) asyncecho.Counter { return &counter{n: start} }
	asyncecho.Exports.NewCounter = func(start uint32) asyncecho.Counter { return &counter{n: start} }
	asyncecho.Exports.CounterValue = func(c asyncecho.Counter) uint32 { return c.Get() }
	asyncecho.Exports.TakeCounter = func(c asyncecho.Counter) uint32 { return c.Get() }
	asyncecho.Exports.CharCode = func(x rune) uint32 { return uint32(x) }
}

func main() {}
