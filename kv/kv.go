// Package kv reads and writes the key-value stores Spin gives a component
// (the stores named in its key_value_stores).
//
//	store, err := kv.OpenDefault()
//	if err != nil { ... }
//	defer store.Close()
//	err = store.Set("counter", []byte("1"))
//	value, err := store.Get("counter") // errors.Is(err, kv.ErrNotFound) when missing
//	for key, err := range store.Keys() { ... }
package kv

import (
	"errors"
	"fmt"
	"iter"
)

// ErrNotFound is returned by Get for a key that is not in the store; an
// empty value is a value.
var ErrNotFound = errors.New("kv: key not found")

// Store is an open key-value store.
type Store struct {
	label string
	impl  storeImpl
}

// storeImpl is what the WASI-version specific code provides.
type storeImpl interface {
	get(key string) ([]byte, bool, error)
	set(key string, value []byte) error
	delete(key string) error
	exists(key string) (bool, error)
	keys() iter.Seq2[string, error]
	close()
}

// Open opens the store with the given label. A label the component may not
// use is an error naming it.
func Open(label string) (*Store, error) {
	impl, err := open(label)
	if err != nil {
		return nil, fmt.Errorf("kv: opening store %q: %w", label, err)
	}
	return &Store{label: label, impl: impl}, nil
}

// OpenDefault opens the store labelled "default".
func OpenDefault() (*Store, error) { return Open("default") }

// Get returns the value of key, or ErrNotFound.
func (s *Store) Get(key string) ([]byte, error) {
	v, ok, err := s.impl.get(key)
	if err != nil {
		return nil, s.wrap("get", key, err)
	}
	if !ok {
		return nil, fmt.Errorf("%w: %q in store %q", ErrNotFound, key, s.label)
	}
	return v, nil
}

// Set stores value under key.
func (s *Store) Set(key string, value []byte) error {
	return s.wrap("set", key, s.impl.set(key, value))
}

// Delete removes key; deleting a missing key is not an error.
func (s *Store) Delete(key string) error { return s.wrap("delete", key, s.impl.delete(key)) }

// Exists reports whether key is in the store.
func (s *Store) Exists(key string) (bool, error) {
	ok, err := s.impl.exists(key)
	return ok, s.wrap("exists", key, err)
}

// Keys yields every key as the host streams them; an error ends the
// sequence.
func (s *Store) Keys() iter.Seq2[string, error] { return s.impl.keys() }

// GetKeys is Keys, named as in Spin's other SDKs.
func (s *Store) GetKeys() iter.Seq2[string, error] { return s.Keys() }

// Close releases the store.
func (s *Store) Close() { s.impl.close() }

func (s *Store) wrap(op, key string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("kv: %s %q in store %q: %w", op, key, s.label, err)
}

// Errors the host reports.
var (
	ErrAccessDenied   = errors.New("access denied: the label is not in the component's key_value_stores")
	ErrNoSuchStore    = errors.New("no such store")
	ErrStoreTableFull = errors.New("too many stores open")
)
