//go:build wasip1

// Command sqlapp is a pets API on SQLite through database/sql.
package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/internal/e2e/testdata/petroutes"
	"github.com/spin-go/sdk/sqlite"
)

func main() {}

var db = sync.OnceValue(func() *sql.DB { return sqlite.Open("default") })

func init() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /setup", petroutes.Setup(db,
		`CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER, weight REAL, photo BLOB, note TEXT)`))
	mux.HandleFunc("POST /pets", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		age, _ := strconv.ParseInt(q.Get("age"), 10, 64)
		weight, _ := strconv.ParseFloat(q.Get("weight"), 64)
		res, err := db().Exec("INSERT INTO pets (name, age, weight, photo, note) VALUES (?, ?, ?, ?, ?)",
			q.Get("name"), age, weight, []byte{0, 1, 2, 255}, nil)
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		id, _ := res.LastInsertId()
		n, _ := res.RowsAffected()
		fmt.Fprintf(w, "id=%d affected=%d", id, n)
	})
	mux.HandleFunc("GET /pets", petroutes.List(db, "SELECT id, name, age, weight, photo, note FROM pets ORDER BY id", func(rows *sql.Rows) (map[string]any, error) {
		var id, age int64
		var name string
		var weight float64
		var photo []byte
		var note sql.NullString
		err := rows.Scan(&id, &name, &age, &weight, &photo, &note)
		return map[string]any{"id": id, "name": name, "age": age, "weight": weight, "photo": photo, "noteValid": note.Valid}, err
	}))
	mux.HandleFunc("POST /birthday", petroutes.Birthday(db))
	mux.HandleFunc("POST /oops", func(w http.ResponseWriter, r *http.Request) {
		tx, err := db().Begin()
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		tx.Exec("DELETE FROM pets")
		var n int
		tx.QueryRow("SELECT COUNT(*) FROM pets").Scan(&n)
		if err := tx.Rollback(); err != nil {
			petroutes.Fail(w, err)
			return
		}
		fmt.Fprintf(w, "rolled back (inside the transaction %d rows were left)", n)
	})
	mux.HandleFunc("POST /bulk", petroutes.Bulk(db, "INSERT INTO pets (name, age, weight, note) VALUES (?, ?, ?, ?)", func(name string, i int) []any {
		return []any{name, i, float64(i) / 2, "bulk"}
	}))
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db().QueryContext(r.Context(), "SELECT name, age FROM pets")
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		defer rows.Close()
		n, total := 0, int64(0)
		for rows.Next() {
			var name string
			var age int64
			rows.Scan(&name, &age)
			n++
			total += age
		}
		fmt.Fprintf(w, "rows=%d sum=%d err=%v", n, total, rows.Err())
	})
	mux.HandleFunc("GET /registered", petroutes.Registered(sqlite.DriverName, func() string { return "default" }, "SELECT COUNT(*) FROM pets WHERE name = ?"))
	mux.HandleFunc("GET /bad", func(w http.ResponseWriter, r *http.Request) {
		_, err := db().Exec("SELEKT nonsense")
		fmt.Fprint(w, err)
	})
	mux.HandleFunc("GET /denied", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, sqlite.Open("secret").Ping())
	})
	spinhttp.Serve(mux)
}
