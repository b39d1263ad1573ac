package abi

import "github.com/spin-go/sdk/internal/wit"

// Limits on how many core values are passed directly, from the spec's
// Flattening section. Beyond them values travel through linear memory.
const (
	// MaxFlatParams bounds the flat parameters of a sync lower, any lift and
	// the task.return built-in.
	MaxFlatParams = 16
	// MaxFlatAsyncParams bounds the flat parameters of an async lower.
	MaxFlatAsyncParams = 4
	// MaxFlatResults bounds the flat results of a sync lift or lower.
	MaxFlatResults = 1
)

// Signature is the core WebAssembly function type of a lifted or lowered
// component function, with flags saying where values went through memory.
type Signature struct {
	Params, Results []CoreType
	// IndirectParams is set when the parameters did not fit and are passed
	// as one pointer to a tuple of them in linear memory (then Params holds
	// that i32, followed by the out-pointer if RetPtr is set).
	IndirectParams bool
	// RetPtr is set (lower only) when the caller passes, as the last
	// parameter, a pointer to memory the callee stores the result into.
	RetPtr bool
	// IndirectResult is set (sync lift only) when the callee returns a
	// pointer to its result in linear memory rather than the flat values.
	IndirectResult bool
}

// flatParams is flatten_types(ft.param_types()).
func flatParams(f *wit.Function) []CoreType {
	var flat []CoreType
	for _, p := range f.Params {
		flat = appendFlat(flat, p.Type)
	}
	return flat
}

// flatResult is flatten_types(ft.result_type()): empty without a result.
func flatResult(f *wit.Function) []CoreType {
	if f.Result == nil {
		return nil
	}
	return Flat(f.Result)
}

// Lower returns the core signature of f imported into core code (canon
// lower), mirroring flatten_functype(opts, ft, 'lower'). f.Async selects
// the async ABI: the spec allows the async option only on async function
// types, and the sdk always lowers those asynchronously.
func Lower(f *wit.Function) Signature {
	var sig Signature
	sig.Params = flatParams(f)
	results := flatResult(f)
	if !f.Async {
		if len(sig.Params) > MaxFlatParams {
			sig.Params, sig.IndirectParams = []CoreType{I32}, true
		}
		// The callee cannot return several core values to the caller;
		// the caller provides an out-pointer instead.
		if len(results) > MaxFlatResults {
			sig.Params = append(sig.Params, I32)
			sig.RetPtr = true
		} else {
			sig.Results = results
		}
		return sig
	}
	// Async lower: at most MAX_FLAT_ASYNC_PARAMS flat parameters; any
	// result at all is written through an out-pointer (max_flat_results is
	// 0 in canon_lower) because it arrives later, and the core function
	// returns one i32 packing the subtask state and handle.
	if len(sig.Params) > MaxFlatAsyncParams {
		sig.Params, sig.IndirectParams = []CoreType{I32}, true
	}
	if len(results) > 0 {
		sig.Params = append(sig.Params, I32)
		sig.RetPtr = true
	}
	sig.Results = []CoreType{I32}
	return sig
}

// Lift returns the core signature of the core function that implements an
// export f (canon lift), mirroring flatten_functype(opts, ft, 'lift'). An
// async f is lifted with a callback (the sdk does not use the stackful
// ABI): the core function returns one i32 packing a callback code and a
// waitable-set index, and hands back the result via task.return (see
// TaskReturn).
func Lift(f *wit.Function) Signature {
	var sig Signature
	sig.Params = flatParams(f)
	// Both sync and async lifts allow MAX_FLAT_PARAMS flat parameters.
	if len(sig.Params) > MaxFlatParams {
		sig.Params, sig.IndirectParams = []CoreType{I32}, true
	}
	if f.Async {
		sig.Results = []CoreType{I32}
		return sig
	}
	// A sync lift returning more than MAX_FLAT_RESULTS values returns a
	// pointer to them instead; the callee owns that memory.
	results := flatResult(f)
	if len(results) > MaxFlatResults {
		sig.Results, sig.IndirectResult = []CoreType{I32}, true
	} else {
		sig.Results = results
	}
	return sig
}

// TaskReturn returns the core signature of the task.return built-in an
// async export f calls to deliver its result. The spec types it as
// flatten_functype(opts, (func (param $t)?), 'lower') with sync options, so
// the result is a parameter list bounded by MAX_FLAT_PARAMS (passed via one
// pointer beyond that), and the built-in returns nothing.
func TaskReturn(f *wit.Function) Signature {
	var sig Signature
	sig.Params = flatResult(f)
	if len(sig.Params) > MaxFlatParams {
		sig.Params, sig.IndirectParams = []CoreType{I32}, true
	}
	return sig
}

// PostReturn reports whether a post-return function is meaningful for the
// export f: f is lifted synchronously and returns its result through memory
// (IndirectResult; always the case when the result holds a string or
// list). The return area and whatever it points to must stay valid until
// the host has copied the result out, and the host calls post-return
// right after that, which is when the callee may release them. An async
// lift cannot have post-return at all (canonopt validation), and a sync
// result in a single core value references no memory.
func PostReturn(f *wit.Function) bool {
	return !f.Async && Lift(f).IndirectResult
}
