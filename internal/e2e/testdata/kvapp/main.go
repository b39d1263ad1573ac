//go:build wasip1

// Command kvapp is the seed's key-value counter written with
// encoding/json, plus endpoints that exercise kv and variables.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/kv"
	"github.com/spin-go/sdk/llm"
	"github.com/spin-go/sdk/variables"
)

type counter struct {
	Counter int `json:"counter"`
}

func bloggo(w http.ResponseWriter, r *http.Request) {
	store, err := kv.OpenDefault()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer store.Close()
	var c counter
	value, err := store.Get("bloggo")
	switch {
	case errors.Is(err, kv.ErrNotFound):
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	default:
		if err := json.Unmarshal(value, &c); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	c.Counter++
	data, _ := json.Marshal(c)
	if err := store.Set("bloggo", data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}

func main() {}

func init() {
	mux := http.NewServeMux()
	mux.HandleFunc("/bloggo", bloggo)
	mux.HandleFunc("/kv", func(w http.ResponseWriter, r *http.Request) {
		store, err := kv.Open(r.URL.Query().Get("store"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		defer store.Close()
		var out []string
		store.Set("empty", []byte{})
		v, err := store.Get("empty")
		out = append(out, fmt.Sprintf("empty=%q err=%v", v, err))
		_, err = store.Get("missing")
		out = append(out, fmt.Sprintf("missing notfound=%v", errors.Is(err, kv.ErrNotFound)))
		store.Set("b", []byte("2"))
		store.Set("a", []byte("1"))
		ok, _ := store.Exists("a")
		out = append(out, fmt.Sprintf("exists a=%v", ok))
		var keys []string
		for k, err := range store.Keys() {
			if err != nil {
				out = append(out, "keys error "+err.Error())
				break
			}
			keys = append(keys, k)
		}
		out = append(out, "keys="+strings.Join(keys, ","))
		store.Delete("a")
		ok, _ = store.Exists("a")
		out = append(out, fmt.Sprintf("after delete a=%v", ok))
		fmt.Fprint(w, strings.Join(out, "\n"))
	})
	mux.HandleFunc("/var", func(w http.ResponseWriter, r *http.Request) {
		v, err := variables.Get(r.URL.Query().Get("name"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		fmt.Fprint(w, v)
	})
	mux.HandleFunc("/llm", func(w http.ResponseWriter, r *http.Request) {
		res, err := llm.InferWithOptions(r.URL.Query().Get("model"), r.URL.Query().Get("prompt"),
			llm.InferencingParams{MaxTokens: 3, Temperature: 0.5, TopK: 7, TopP: 0.25, RepeatPenalty: 1.5, RepeatPenaltyLastNTokenCount: 9})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "%s|prompt=%d generated=%d", res.Text, res.PromptTokenCount, res.GeneratedTokenCount)
	})
	mux.HandleFunc("/embed", func(w http.ResponseWriter, r *http.Request) {
		res, err := llm.GenerateEmbeddings("all-minilm-l6-v2", []string{"hello world", "spin", "go components"})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "vectors=%d dims=%d first=%.2f prompt=%d", len(res.Embeddings), len(res.Embeddings[0]), res.Embeddings[0][0], res.PromptTokenCount)
	})
	spinhttp.Serve(mux)
}
