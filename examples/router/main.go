//go:build wasip1

// Command router routes requests with Go's http.ServeMux patterns
// (methods, wildcards, {name} path values) inside one Spin component whose
// route is "/...".
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	spinhttp "github.com/spin-go/sdk/http"
)

func main() {}

type user struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func init() {
	// One instance serves one request in Spin, so this map only lives for
	// the request; use kv or sqlite to keep data.
	var mu sync.Mutex
	users := map[string]user{"1": {"1", "Ada"}, "2": {"2", "Grace"}}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		u, ok := users[r.PathValue("id")]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(u)
	})
	mux.HandleFunc("POST /users", func(w http.ResponseWriter, r *http.Request) {
		var u user
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil || u.ID == "" {
			http.Error(w, `want {"id": "...", "name": "..."}`, http.StatusBadRequest)
			return
		}
		mu.Lock()
		users[u.ID] = u
		mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(u)
	})
	mux.HandleFunc("GET /files/{path...}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "file %s (spin-path-info %s)", r.PathValue("path"), spinhttp.PathInfo(r))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no route for "+r.Method+" "+r.URL.Path, http.StatusNotFound)
	})
	spinhttp.Handle(mux.ServeHTTP)
}
