// Package petroutes holds the handlers the pets test apps share: sqlapp,
// mysqlapp and pgapp serve one pets API on SQLite, MySQL and PostgreSQL
// through database/sql. What each app tests of its own database (types,
// errors, transactions' isolation) stays in the app.
package petroutes

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// DB returns the app's database (opened on first use).
type DB func() *sql.DB

// Fail answers 500 with the error's text.
func Fail(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

// Setup runs the statements (CREATE TABLE ...) and answers ok.
func Setup(db DB, statements ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for _, s := range statements {
			if _, err := db().ExecContext(r.Context(), s); err != nil {
				Fail(w, err)
				return
			}
		}
		fmt.Fprint(w, "ok")
	}
}

// List answers with the rows of query as a JSON array of objects, one a
// row, which row makes from the current row.
func List(db DB, query string, row func(*sql.Rows) (map[string]any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rows, err := db().QueryContext(r.Context(), query)
		if err != nil {
			Fail(w, err)
			return
		}
		defer rows.Close()
		out := []map[string]any{}
		for rows.Next() {
			m, err := row(rows)
			if err != nil {
				Fail(w, err)
				return
			}
			out = append(out, m)
		}
		if err := rows.Err(); err != nil {
			Fail(w, err)
			return
		}
		json.NewEncoder(w).Encode(out)
	}
}

// Birthday makes every pet a year older in a transaction and answers
// committed.
func Birthday(db DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tx, err := db().BeginTx(r.Context(), nil)
		if err != nil {
			Fail(w, err)
			return
		}
		if _, err := tx.Exec("UPDATE pets SET age = age + 1"); err != nil {
			tx.Rollback()
			Fail(w, err)
			return
		}
		if err := tx.Commit(); err != nil {
			Fail(w, err)
			return
		}
		fmt.Fprint(w, "committed")
	}
}

// Bulk inserts ?n= pets with one prepared statement in a transaction and
// answers how many: args are the statement's arguments for the i-th pet,
// whose name is a longish one.
func Bulk(db DB, insert string, args func(name string, i int) []any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		tx, err := db().BeginTx(r.Context(), nil)
		if err != nil {
			Fail(w, err)
			return
		}
		stmt, err := tx.Prepare(insert)
		if err != nil {
			tx.Rollback()
			Fail(w, err)
			return
		}
		for i := 0; i < n; i++ {
			if _, err := stmt.Exec(args(fmt.Sprintf("pet-%05d with a longish name to make rows weigh", i), i)...); err != nil {
				tx.Rollback()
				Fail(w, err)
				return
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			Fail(w, err)
			return
		}
		fmt.Fprintf(w, "inserted %d", n)
	}
}

// Registered counts the pets named Rover on a database opened with
// sql.Open, the driver's registered name and dataSource(); query has one
// parameter, the name.
func Registered(driverName string, dataSource func() string, query string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		db, err := sql.Open(driverName, dataSource())
		if err != nil {
			Fail(w, err)
			return
		}
		defer db.Close()
		var n int
		err = db.QueryRow(query, "Rover").Scan(&n)
		fmt.Fprintf(w, "rover=%d err=%v", n, err)
	}
}
