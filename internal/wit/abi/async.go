package abi

import "github.com/spin-go/sdk/internal/wit"

// contains mirrors the spec's contains(t, p): whether t, or any type
// inside it, satisfies p. It looks through aliases, record fields, variant
// (option, result) cases, tuple elements, list, map, stream and future
// element types; handles, flags, enums and primitives are leaves (a borrow
// or own handle is nominal: its resource is not "inside" it).
func contains(t wit.Type, p func(wit.Type) bool) bool {
	t = wit.Dealias(t)
	if t == nil {
		return false
	}
	if p(t) {
		return true
	}
	anyOf := func(ts ...wit.Type) bool {
		for _, u := range ts {
			if contains(u, p) {
				return true
			}
		}
		return false
	}
	switch t := t.(type) {
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record:
			for _, f := range k.Fields {
				if contains(f.Type, p) {
					return true
				}
			}
		case *wit.Variant:
			for _, c := range k.Cases {
				if contains(c.Type, p) {
					return true
				}
			}
		}
	case *wit.List:
		return anyOf(t.Elem)
	case *wit.Option:
		return anyOf(t.Elem)
	case *wit.Result:
		return anyOf(t.Ok, t.Err)
	case *wit.Tuple:
		return anyOf(t.Types...)
	case *wit.Map:
		return anyOf(t.Key, t.Value)
	case *wit.Future:
		return anyOf(t.Elem)
	case *wit.Stream:
		return anyOf(t.Elem)
	}
	return false
}

// ContainsAsyncValue reports whether t is or contains a stream or future,
// mirroring contains_async_value.
func ContainsAsyncValue(t wit.Type) bool {
	return contains(t, func(u wit.Type) bool {
		switch u.(type) {
		case *wit.Stream, *wit.Future:
			return true
		}
		return false
	})
}

// ContainsBorrow reports whether t is or contains a borrow handle,
// mirroring contains_borrow. Such types cannot be function results, and a
// borrow parameter obliges the callee to drop it before returning.
func ContainsBorrow(t wit.Type) bool {
	return contains(t, func(u wit.Type) bool {
		_, ok := u.(*wit.Borrow)
		return ok
	})
}

// NeedsAsync reports whether calling or implementing f requires the async
// runtime: f is async, or a parameter or its result holds a stream or
// future, whose ends are driven by the async built-ins (stream.read,
// waitable sets, ...) even when f itself is synchronous.
func NeedsAsync(f *wit.Function) bool {
	if f.Async {
		return true
	}
	for _, p := range f.Params {
		if ContainsAsyncValue(p.Type) {
			return true
		}
	}
	return f.Result != nil && ContainsAsyncValue(f.Result)
}

// WorldNeedsAsync reports whether any function a world imports or exports,
// directly or through an interface, needs the async runtime (NeedsAsync),
// so the generator knows whether to link it in.
func WorldNeedsAsync(w *wit.World) bool {
	for _, items := range [][]*wit.WorldItem{w.Imports, w.Exports} {
		for _, it := range items {
			if it.Function != nil && NeedsAsync(it.Function) {
				return true
			}
			if it.Interface != nil {
				for _, f := range it.Interface.Functions {
					if NeedsAsync(f) {
						return true
					}
				}
			}
		}
	}
	return false
}
