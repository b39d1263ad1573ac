//go:build wasip1 && !spin_wasi02

package kv

import (
	"errors"
	"iter"

	bind "github.com/spin-go/sdk/imports/spin_key_value_3_0_0_key_value"
)

// This file implements the package on spin:key-value/key-value@3.0.0.

type store03 struct{ s *bind.Store }

func open(label string) (storeImpl, error) {
	res := bind.StoreOpen(label)
	if res.IsErr() {
		return nil, kvError(res.Err())
	}
	return &store03{s: res.Ok()}, nil
}

func kvError(e bind.Error) error {
	switch e.Tag() {
	case bind.ErrorAccessDenied:
		return ErrAccessDenied
	case bind.ErrorNoSuchStore:
		return ErrNoSuchStore
	case bind.ErrorStoreTableFull:
		return ErrStoreTableFull
	}
	return errors.New(e.Other())
}

func (s *store03) get(key string) ([]byte, bool, error) {
	res := s.s.Get(key)
	if res.IsErr() {
		return nil, false, kvError(res.Err())
	}
	if res.Ok().IsNone() {
		return nil, false, nil
	}
	return res.Ok().Some(), true, nil
}

func (s *store03) set(key string, value []byte) error {
	if value == nil {
		value = []byte{}
	}
	if res := s.s.Set(key, value); res.IsErr() {
		return kvError(res.Err())
	}
	return nil
}

func (s *store03) delete(key string) error {
	if res := s.s.Delete(key); res.IsErr() {
		return kvError(res.Err())
	}
	return nil
}

func (s *store03) exists(key string) (bool, error) {
	res := s.s.Exists(key)
	if res.IsErr() {
		return false, kvError(res.Err())
	}
	return res.Ok(), nil
}

// keys reads the host's stream of keys in batches.
func (s *store03) keys() iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		stream, done := s.s.GetKeys()
		defer stream.Drop()
		buf := make([]string, 64)
		for !stream.WriterDropped() {
			n := stream.Read(buf)
			for _, k := range buf[:n] {
				if !yield(k, nil) {
					return
				}
			}
		}
		if res := done.Read(); res.IsErr() {
			yield("", kvError(res.Err()))
		}
	}
}

func (s *store03) close() { s.s.Drop() }
