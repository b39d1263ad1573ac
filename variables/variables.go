// Package variables reads the application variables Spin gives a
// component: the [component.<id>.variables] of spin.toml, whose templates
// refer to the application's [variables].
//
//	greeting, err := variables.Get("greeting")
package variables

import (
	"errors"
	"fmt"
)

// Errors the host reports; the returned errors wrap them and name the
// variable.
var (
	ErrInvalidName = errors.New("invalid variable name")
	ErrUndefined   = errors.New("undefined variable")
	ErrProvider    = errors.New("variable provider error")
)

// Get returns the value of a variable. Names are lower-case letters,
// digits and underscores, as Spin requires.
func Get(name string) (string, error) {
	v, err := get(name)
	if err != nil {
		return "", fmt.Errorf("variables: %q: %w", name, err)
	}
	return v, nil
}
