//go:build wasip1

// Command kv-counter counts visits in the default key-value store:
// {"counter":1}, {"counter":2}, ... across requests and restarts.
package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/kv"
)

func main() {}

func init() {
	spinhttp.HandleFunc(func(w http.ResponseWriter, r *http.Request) {
		store, err := kv.OpenDefault()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer store.Close()
		n := 0
		switch v, err := store.Get("counter"); {
		case errors.Is(err, kv.ErrNotFound):
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		default:
			n, _ = strconv.Atoi(string(v))
		}
		n++
		if err := store.Set("counter", []byte(strconv.Itoa(n))); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]int{"counter": n})
	})
}
