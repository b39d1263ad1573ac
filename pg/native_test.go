//go:build !wasip1

package pg

import (
	"database/sql"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPostgresNoHost(t *testing.T) {
	db := Open("postgres://spin:secret@127.0.0.1:5432/spin")
	defer db.Close()
	err := db.Ping()
	assert.ErrorIs(t, err, ErrNoHost)
	assert.Contains(t, err.Error(), "postgres://spin:xxxxx@127.0.0.1:5432/spin", "the password is redacted")
	assert.NotContains(t, err.Error(), "secret")

	db2, err := sql.Open(DriverName, "host=db password=secret user=spin")
	require.NoError(t, err)
	err = db2.Ping()
	assert.True(t, errors.Is(err, ErrNoHost))
	assert.NotContains(t, err.Error(), "secret")
}
