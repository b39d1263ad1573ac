// Package petroutes holds the handlers the pets test apps share: sqlapp,
// mysqlapp, pgapp and pg02app (pg on Spin 3) serve one pets API on SQLite,
// MySQL and PostgreSQL through database/sql. What each app tests of its own database (types,
// errors, transactions' isolation) stays in the app.
package petroutes

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
		rows, ok := queryRows(w, r, db, query)
		if !ok {
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

// queryRows runs query; on a failure it answers with the error and ok is
// false.
func queryRows(w http.ResponseWriter, r *http.Request, db DB, query string) (rows *sql.Rows, ok bool) {
	rows, err := db().QueryContext(r.Context(), query)
	if err != nil {
		Fail(w, err)
		return nil, false
	}
	return rows, true
}

// Birthday makes every pet a year older in a transaction and answers
// committed.
func Birthday(db DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tx, ok := begin(w, r, db, nil, "UPDATE pets SET age = age + 1")
		if !ok {
			return
		}
		if err := tx.Commit(); err != nil {
			Fail(w, err)
			return
		}
		fmt.Fprint(w, "committed")
	}
}

// Rollback deletes every pet in a transaction begun with opts, counts the
// pets left inside it and, once it is rolled back, outside, and answers
// with both and the transaction's isolation level, which the statement
// level reads.
func Rollback(db DB, opts *sql.TxOptions, level string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tx, ok := begin(w, r, db, opts, "DELETE FROM pets")
		if !ok {
			return
		}
		var inside, outside int
		var isolation string
		tx.QueryRow("SELECT COUNT(*) FROM pets").Scan(&inside)
		tx.QueryRow(level).Scan(&isolation)
		if err := tx.Rollback(); err != nil {
			Fail(w, err)
			return
		}
		db().QueryRow("SELECT COUNT(*) FROM pets").Scan(&outside)
		fmt.Fprintf(w, "rolled back (%s: inside the transaction %d rows were left, outside %d)", isolation, inside, outside)
	}
}

// begin begins a transaction with opts and runs statement in it; on a
// failure it answers with the error (and rolls back) and ok is false.
func begin(w http.ResponseWriter, r *http.Request, db DB, opts *sql.TxOptions, statement string) (tx *sql.Tx, ok bool) {
	tx, err := db().BeginTx(r.Context(), opts)
	if err != nil {
		Fail(w, err)
		return nil, false
	}
	if _, err := tx.Exec(statement); err != nil {
		tx.Rollback()
		Fail(w, err)
		return nil, false
	}
	return tx, true
}

// Insert runs insert, a statement that returns the new pet's id, with the
// arguments args makes from the query string, then an UPDATE of that pet,
// and answers with the id and the rows the UPDATE affected (Postgres:
// the UPDATE has a $1 parameter).
func Insert(db DB, insert string, args func(q url.Values) ([]any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := args(r.URL.Query())
		if err != nil {
			Fail(w, err)
			return
		}
		var id int32
		if err := db().QueryRow(insert, a...).Scan(&id); err != nil {
			Fail(w, err)
			return
		}
		res, err := db().Exec("UPDATE pets SET age = age WHERE id = $1", id)
		if err != nil {
			Fail(w, err)
			return
		}
		n, _ := res.RowsAffected()
		fmt.Fprintf(w, "id=%d affected=%d", id, n)
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

// Count reads the pets query returns (id and age first, in id order; other
// columns are read and dropped) and answers how many, the sum of their
// ages, whether the ids ascend and the rows' error.
func Count(db DB, query string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rows, ok := queryRows(w, r, db, query)
		if !ok {
			return
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		n, total, ordered, last := 0, int64(0), true, int32(0)
		for rows.Next() {
			var id, age int32
			dest := []any{&id, &age}
			for range cols[2:] {
				dest = append(dest, new(any))
			}
			if err := rows.Scan(dest...); err != nil {
				Fail(w, err)
				return
			}
			ordered = ordered && id > last
			last = id
			n++
			total += int64(age)
		}
		fmt.Fprintf(w, "rows=%d sum=%d ordered=%v err=%v", n, total, ordered, rows.Err())
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

// Denied pings the database open returns for address, which the manifest
// does not allow, and answers with the error and whether it is
// connectionFailed.
func Denied(open func(address string) *sql.DB, address string, connectionFailed error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		db := open(address)
		defer db.Close()
		err := db.PingContext(r.Context())
		fmt.Fprintf(w, "%v connection-failed=%v", err, errors.Is(err, connectionFailed))
	}
}

// Columns answers with the one row query returns for the request's "id"
// (made into a parameter by id): a line per column with its name, its
// database type name and its value as show prints it.
func Columns(db DB, query string, id func(string) any, show func(any) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rows, err := db().QueryContext(r.Context(), query, id(r.URL.Query().Get("id")))
		if err != nil {
			Fail(w, err)
			return
		}
		defer rows.Close()
		cols, _ := rows.ColumnTypes()
		if !rows.Next() {
			Fail(w, fmt.Errorf("no row: %v", rows.Err()))
			return
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			Fail(w, err)
			return
		}
		for i, c := range cols {
			fmt.Fprintf(w, "%s %s: %s\n", c.Name(), c.DatabaseTypeName(), show(vals[i]))
		}
	}
}
