//go:build wasip1

// Command sqlite-pets is a small pets API on Spin's SQLite database,
// through database/sql: POST /pets with {"name":..., "age":...} adds one,
// GET /pets lists them.
package main

import (
	"database/sql"
	"encoding/json"
	"net/http"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/sqlite"
)

func main() {}

type pet struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Age  int    `json:"age"`
}

func init() {
	db := sqlite.Open("default")
	mux := http.NewServeMux()
	mux.HandleFunc("POST /pets", func(w http.ResponseWriter, r *http.Request) {
		var p pet
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil || p.Name == "" {
			http.Error(w, `want {"name": "...", "age": N}`, http.StatusBadRequest)
			return
		}
		if err := setup(db); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		res, err := db.Exec("INSERT INTO pets (name, age) VALUES (?, ?)", p.Name, p.Age)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		p.ID, _ = res.LastInsertId()
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(p)
	})
	mux.HandleFunc("GET /pets", func(w http.ResponseWriter, r *http.Request) {
		if err := setup(db); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		rows, err := db.Query("SELECT id, name, age FROM pets ORDER BY id")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		pets := []pet{}
		for rows.Next() {
			var p pet
			if err := rows.Scan(&p.ID, &p.Name, &p.Age); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			pets = append(pets, p)
		}
		if err := rows.Err(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(pets)
	})
	spinhttp.Handle(mux.ServeHTTP)
}

func setup(db *sql.DB) error {
	_, err := db.Exec("CREATE TABLE IF NOT EXISTS pets (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER NOT NULL)")
	return err
}
