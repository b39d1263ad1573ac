//go:build wasip1

// Command sqlapp is a pets API on SQLite through database/sql.
package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/sqlite"
)

func fail(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

func main() {}

func init() {
	db := sqlite.Open("default")
	mux := http.NewServeMux()
	mux.HandleFunc("POST /setup", func(w http.ResponseWriter, r *http.Request) {
		_, err := db.Exec(`CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER, weight REAL, photo BLOB, note TEXT)`)
		if err != nil {
			fail(w, err)
			return
		}
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("POST /pets", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		age, _ := strconv.ParseInt(q.Get("age"), 10, 64)
		weight, _ := strconv.ParseFloat(q.Get("weight"), 64)
		res, err := db.Exec("INSERT INTO pets (name, age, weight, photo, note) VALUES (?, ?, ?, ?, ?)",
			q.Get("name"), age, weight, []byte{0, 1, 2, 255}, nil)
		if err != nil {
			fail(w, err)
			return
		}
		id, _ := res.LastInsertId()
		n, _ := res.RowsAffected()
		fmt.Fprintf(w, "id=%d affected=%d", id, n)
	})
	mux.HandleFunc("GET /pets", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.Query("SELECT id, name, age, weight, photo, note FROM pets ORDER BY id")
		if err != nil {
			fail(w, err)
			return
		}
		defer rows.Close()
		var out []map[string]any
		for rows.Next() {
			var id, age int64
			var name string
			var weight float64
			var photo []byte
			var note sql.NullString
			if err := rows.Scan(&id, &name, &age, &weight, &photo, &note); err != nil {
				fail(w, err)
				return
			}
			out = append(out, map[string]any{"id": id, "name": name, "age": age, "weight": weight, "photo": photo, "noteValid": note.Valid})
		}
		if err := rows.Err(); err != nil {
			fail(w, err)
			return
		}
		json.NewEncoder(w).Encode(out)
	})
	mux.HandleFunc("POST /birthday", func(w http.ResponseWriter, r *http.Request) {
		tx, err := db.Begin()
		if err != nil {
			fail(w, err)
			return
		}
		if _, err := tx.Exec("UPDATE pets SET age = age + 1"); err != nil {
			tx.Rollback()
			fail(w, err)
			return
		}
		if err := tx.Commit(); err != nil {
			fail(w, err)
			return
		}
		fmt.Fprint(w, "committed")
	})
	mux.HandleFunc("POST /oops", func(w http.ResponseWriter, r *http.Request) {
		tx, err := db.Begin()
		if err != nil {
			fail(w, err)
			return
		}
		tx.Exec("DELETE FROM pets")
		var n int
		tx.QueryRow("SELECT COUNT(*) FROM pets").Scan(&n)
		if err := tx.Rollback(); err != nil {
			fail(w, err)
			return
		}
		fmt.Fprintf(w, "rolled back (inside the transaction %d rows were left)", n)
	})
	mux.HandleFunc("POST /bulk", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		tx, err := db.Begin()
		if err != nil {
			fail(w, err)
			return
		}
		stmt, err := tx.Prepare("INSERT INTO pets (name, age, weight, note) VALUES (?, ?, ?, ?)")
		if err != nil {
			tx.Rollback()
			fail(w, err)
			return
		}
		for i := 0; i < n; i++ {
			if _, err := stmt.Exec(fmt.Sprintf("pet-%05d with a longish name to make rows weigh", i), i, float64(i)/2, "bulk"); err != nil {
				tx.Rollback()
				fail(w, err)
				return
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			fail(w, err)
			return
		}
		fmt.Fprintf(w, "inserted %d", n)
	})
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.QueryContext(r.Context(), "SELECT name, age FROM pets")
		if err != nil {
			fail(w, err)
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
	mux.HandleFunc("GET /registered", func(w http.ResponseWriter, r *http.Request) {
		db2, err := sql.Open(sqlite.DriverName, "default")
		if err != nil {
			fail(w, err)
			return
		}
		defer db2.Close()
		var n int
		err = db2.QueryRow("SELECT COUNT(*) FROM pets WHERE name = ?", "Rover").Scan(&n)
		fmt.Fprintf(w, "rover=%d err=%v", n, err)
	})
	mux.HandleFunc("GET /bad", func(w http.ResponseWriter, r *http.Request) {
		_, err := db.Exec("SELEKT nonsense")
		fmt.Fprint(w, err)
	})
	mux.HandleFunc("GET /denied", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, sqlite.Open("secret").Ping())
	})
	spinhttp.Serve(mux)
}
