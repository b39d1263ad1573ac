//go:build wasip1 && spin_wasi02

package variables

import (
	"errors"
	"fmt"

	bind "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_variables"
)

// get reads fermyon:spin/variables@2.0.0 (Spin 3).
func get(name string) (string, error) {
	res := bind.Get(name)
	if res.IsOk() {
		return res.Ok(), nil
	}
	switch e := res.Err(); e.Tag() {
	case bind.ErrorInvalidName:
		return "", fmt.Errorf("%w: %s", ErrInvalidName, e.InvalidName())
	case bind.ErrorUndefined:
		return "", fmt.Errorf("%w: %s", ErrUndefined, e.Undefined())
	case bind.ErrorProvider:
		return "", fmt.Errorf("%w: %s", ErrProvider, e.Provider())
	default:
		return "", errors.New(e.Other())
	}
}
