//go:build wasip1 && spin_wasi02

package kv

import (
	"errors"
	"iter"

	bind "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_key_value"
)

// This file implements the package on fermyon:spin/key-value@2.0.0 (Spin 3).

type store02 struct{ s *bind.Store }

func open(label string) (storeImpl, error) {
	res := bind.StoreOpen(label)
	if res.IsErr() {
		return nil, kvError02(res.Err())
	}
	return &store02{s: res.Ok()}, nil
}

func kvError02(e bind.Error) error {
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

func (s *store02) get(key string) ([]byte, bool, error) {
	res := s.s.Get(key)
	if res.IsErr() {
		return nil, false, kvError02(res.Err())
	}
	if res.Ok().IsNone() {
		return nil, false, nil
	}
	return res.Ok().Some(), true, nil
}

func (s *store02) set(key string, value []byte) error {
	if value == nil {
		value = []byte{}
	}
	if res := s.s.Set(key, value); res.IsErr() {
		return kvError02(res.Err())
	}
	return nil
}

func (s *store02) delete(key string) error {
	if res := s.s.Delete(key); res.IsErr() {
		return kvError02(res.Err())
	}
	return nil
}

func (s *store02) exists(key string) (bool, error) {
	res := s.s.Exists(key)
	if res.IsErr() {
		return false, kvError02(res.Err())
	}
	return res.Ok(), nil
}

// keys: Spin 3 returns all keys at once.
func (s *store02) keys() iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		res := s.s.GetKeys()
		if res.IsErr() {
			yield("", kvError02(res.Err()))
			return
		}
		for _, k := range res.Ok() {
			if !yield(k, nil) {
				return
			}
		}
	}
}

func (s *store02) close() { s.s.Drop() }
