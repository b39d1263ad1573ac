//go:build wasip1

// Command mysqlapp is a pets API on MySQL through database/sql, with
// endpoints that report typed round trips, transactions and errors as
// text for the e2e test to check. The server's URL is in MYSQL_URL.
package main

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/internal/e2e/testdata/petroutes"
	"github.com/spin-go/sdk/mysql"
)

func main() {}

func mysqlURL() string { return os.Getenv("MYSQL_URL") }

var db = sync.OnceValue(func() *sql.DB { return mysql.Open(mysqlURL()) })

// show formats a scanned value with its Go type.
func show(v any) string {
	switch x := v.(type) {
	case []byte:
		return fmt.Sprintf("[]uint8 %s", hex.EncodeToString(x))
	case string:
		return fmt.Sprintf("string %q", x)
	case nil:
		return "nil"
	}
	return fmt.Sprintf("%T %v", v, v)
}

const typesTable = `CREATE TABLE types (
	id INT PRIMARY KEY,
	i8 TINYINT, u8 TINYINT UNSIGNED, i16 SMALLINT, u16 SMALLINT UNSIGNED,
	i24 MEDIUMINT, u24 MEDIUMINT UNSIGNED, i32 INT, u32 INT UNSIGNED,
	i64 BIGINT, u64 BIGINT UNSIGNED, f32 FLOAT, f64 DOUBLE,
	s VARCHAR(100), t TEXT, vb VARBINARY(100), bl BLOB, flag BOOL, ch CHAR(3), dt DATETIME(6)
) DEFAULT CHARSET=utf8mb4`

const typeColumns = "i8, u8, i16, u16, i24, u24, i32, u32, i64, u64, f32, f64, s, t, vb, bl, flag, ch"

// typeRows are inserted by /types: the minimum, the maximum and NULL of
// every column.
var typeRows = map[int][]any{
	1: {int8(math.MinInt8), uint8(0), int16(math.MinInt16), uint16(0), int32(-1 << 23), uint32(0), int32(math.MinInt32), uint32(0),
		int64(math.MinInt64), uint64(0), float32(-math.MaxFloat32), -math.MaxFloat64, "", "", []byte{}, []byte{}, false, "abc"},
	2: {int8(math.MaxInt8), uint8(math.MaxUint8), int16(math.MaxInt16), uint16(math.MaxUint16), int32(1<<23 - 1), uint32(1<<24 - 1),
		int32(math.MaxInt32), uint32(math.MaxUint32), int64(math.MaxInt64), uint64(math.MaxUint64), float32(0.1), math.Pi,
		"héllo, 世界 🐹", strings.Repeat("long text ", 100), []byte{0, 1, 0, 255, 0}, []byte{0, 0, 0}, true, "xyz"},
	3: {nil, (*uint8)(nil), sql.NullInt16{}, nil, sql.NullInt32{}, nil, nil, nil, sql.NullInt64{}, nil, nil, sql.NullFloat64{},
		sql.NullString{}, (*string)(nil), []byte(nil), nil, sql.NullBool{}, nil},
}

func init() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /setup", petroutes.Setup(db,
		`CREATE TABLE pets (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL UNIQUE,
			age INT, weight DOUBLE, photo BLOB, note TEXT, vaccinated BOOL) DEFAULT CHARSET=utf8mb4`,
		typesTable))
	// POST /pets inserts on one connection and reads the id and count with
	// SQL, since the interface reports neither.
	mux.HandleFunc("POST /pets", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		age, _ := strconv.ParseInt(q.Get("age"), 10, 64)
		weight, _ := strconv.ParseFloat(q.Get("weight"), 64)
		c, err := db().Conn(r.Context())
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		defer c.Close()
		res, err := c.ExecContext(r.Context(), "INSERT INTO pets (name, age, weight, photo, note, vaccinated) VALUES (?, ?, ?, ?, ?, ?)",
			q.Get("name"), age, weight, []byte{0, 1, 2, 255}, nil, age > 3)
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		var id uint64
		var affected int64
		if err := c.QueryRowContext(r.Context(), "SELECT LAST_INSERT_ID(), ROW_COUNT()").Scan(&id, &affected); err != nil {
			petroutes.Fail(w, err)
			return
		}
		_, idErr := res.LastInsertId()
		n, nErr := res.RowsAffected()
		fmt.Fprintf(w, "id=%d affected=%d; Result: n=%d unavailable=%v,%v: %v", id, affected, n,
			errors.Is(idErr, mysql.ErrResultUnavailable), errors.Is(nErr, mysql.ErrResultUnavailable), idErr)
	})
	mux.HandleFunc("GET /pets", petroutes.List(db, "SELECT id, name, age, weight, photo, note, vaccinated FROM pets ORDER BY id", func(rows *sql.Rows) (map[string]any, error) {
		var id uint64
		var age int64
		var name string
		var weight float64
		var photo []byte
		var note sql.NullString
		var vaccinated bool
		err := rows.Scan(&id, &name, &age, &weight, &photo, &note, &vaccinated)
		return map[string]any{"id": id, "name": name, "age": age, "weight": weight, "photo": photo, "noteValid": note.Valid, "vaccinated": vaccinated}, err
	}))
	mux.HandleFunc("POST /birthday", petroutes.Birthday(db))
	mux.HandleFunc("POST /oops", func(w http.ResponseWriter, r *http.Request) {
		tx, err := db().BeginTx(r.Context(), nil)
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		if _, err := tx.Exec("DELETE FROM pets"); err != nil {
			tx.Rollback()
			petroutes.Fail(w, err)
			return
		}
		var inside, outside int
		tx.QueryRow("SELECT COUNT(*) FROM pets").Scan(&inside)
		// Another connection does not see the uncommitted delete.
		db().QueryRow("SELECT COUNT(*) FROM pets").Scan(&outside)
		if err := tx.Rollback(); err != nil {
			petroutes.Fail(w, err)
			return
		}
		fmt.Fprintf(w, "rolled back (inside the transaction %d rows were left, outside %d)", inside, outside)
	})
	mux.HandleFunc("GET /isolation", func(w http.ResponseWriter, r *http.Request) {
		tx, err := db().BeginTx(r.Context(), &sql.TxOptions{Isolation: sql.LevelSerializable})
		if err == nil {
			var n int
			err = tx.QueryRow("SELECT COUNT(*) FROM pets").Scan(&n)
			if err == nil {
				err = tx.Commit()
			}
		}
		fmt.Fprintf(w, "serializable: %v\n", err)
		_, err = db().BeginTx(r.Context(), &sql.TxOptions{Isolation: sql.LevelSnapshot})
		fmt.Fprintf(w, "snapshot: %v\n", err)
		tx, err = db().BeginTx(r.Context(), &sql.TxOptions{ReadOnly: true})
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		_, err = tx.Exec("INSERT INTO pets (name) VALUES ('Ghost')")
		tx.Rollback()
		fmt.Fprintf(w, "read-only insert: %v\n", err)
	})
	// POST /types inserts typeRows; GET /types?id=N reports row N.
	mux.HandleFunc("POST /types", func(w http.ResponseWriter, r *http.Request) {
		for id := 1; id <= len(typeRows); id++ {
			args := append([]any{id}, typeRows[id]...)
			if _, err := db().Exec("INSERT INTO types (id, "+typeColumns+") VALUES (?"+strings.Repeat(", ?", len(typeRows[id]))+")", args...); err != nil {
				petroutes.Fail(w, err)
				return
			}
		}
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("GET /types", petroutes.Columns(db, "SELECT "+typeColumns+" FROM types WHERE id = ?",
		func(id string) any { return id }, show))
	// GET /typed scans row 2 into exact Go types.
	mux.HandleFunc("GET /typed", func(w http.ResponseWriter, r *http.Request) {
		var (
			i8   int8
			u8   uint8
			i16  int16
			u16  uint16
			i24  int32
			u24  uint32
			i32  int32
			u32  uint32
			i64  int64
			u64  uint64
			f32  float32
			f64  float64
			s, t string
			vb   []byte
			bl   sql.RawBytes
			flag bool
			ch   string
		)
		rows, err := db().Query("SELECT " + typeColumns + " FROM types WHERE id = 2")
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		defer rows.Close()
		rows.Next()
		if err := rows.Scan(&i8, &u8, &i16, &u16, &i24, &u24, &i32, &u32, &i64, &u64, &f32, &f64, &s, &t, &vb, &bl, &flag, &ch); err != nil {
			petroutes.Fail(w, err)
			return
		}
		fmt.Fprintf(w, "%d %d %d %d %d %d %d %d %d %d %v %v %q %d %x %x %v %q", i8, u8, i16, u16, i24, u24, i32, u32, i64, u64, f32, f64, s, len(t), vb, []byte(bl), flag, ch)
	})
	mux.HandleFunc("GET /params", func(w http.ResponseWriter, r *http.Request) {
		var a, b, c, d, e any
		err := db().QueryRow("SELECT ?, ?, ?, ?, ?", true, uint64(math.MaxUint64), []byte{0, 7}, float32(1.5), nil).Scan(&a, &b, &c, &d, &e)
		fmt.Fprintf(w, "%s | %s | %s | %s | %s | %v", show(a), show(b), show(c), show(d), show(e), err)
	})
	mux.HandleFunc("GET /datetime", func(w http.ResponseWriter, r *http.Request) {
		at := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.FixedZone("CET", 3600))
		if _, err := db().Exec("UPDATE types SET dt = ? WHERE id = 2", at); err != nil {
			petroutes.Fail(w, err)
			return
		}
		var text string
		err := db().QueryRow("SELECT CAST(dt AS CHAR) FROM types WHERE id = 2").Scan(&text)
		fmt.Fprintf(w, "as text: %q %v\n", text, err)
		var raw any
		err = db().QueryRow("SELECT dt FROM types WHERE id = 2").Scan(&raw)
		fmt.Fprintf(w, "raw: %v conversion=%v\n", err, errors.Is(err, mysql.ErrValueConversionFailed))
		err = db().QueryRow("SELECT dt FROM types WHERE id = 3").Scan(&raw)
		fmt.Fprintf(w, "null: %v %v\n", raw, err)
	})
	mux.HandleFunc("GET /dup", func(w http.ResponseWriter, r *http.Request) {
		_, err := db().Exec("INSERT INTO pets (name) VALUES (?)", "Rover")
		op := "not a *mysql.Error"
		var me *mysql.Error
		if errors.As(err, &me) {
			op = me.Op
		}
		fmt.Fprintf(w, "%v\nis query-failed: %v; op: %s", err, errors.Is(err, mysql.ErrQueryFailed), op)
	})
	mux.HandleFunc("GET /bad", func(w http.ResponseWriter, r *http.Request) {
		_, err := db().Query("SELEKT nonsense")
		fmt.Fprint(w, err)
	})
	mux.HandleFunc("GET /registered", petroutes.Registered(mysql.DriverName, mysqlURL, "SELECT COUNT(*) FROM pets WHERE name = ?"))
	mux.HandleFunc("GET /denied", func(w http.ResponseWriter, r *http.Request) {
		err := mysql.Open("mysql://spin:secret@127.0.0.1:1/spin").PingContext(context.Background())
		fmt.Fprintf(w, "%v\nis connection-failed: %v", err, errors.Is(err, mysql.ErrConnectionFailed))
	})
	spinhttp.Serve(mux)
}
