package testserver

import (
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServers starts each server, talks to it with its own client, and
// restarts Redis on the same port.
func TestServers(t *testing.T) {
	t.Run("redis", func(t *testing.T) {
		s := Redis(t)
		cli := func() (string, error) {
			out, err := exec.Command("redis-cli", "-p", strconv.Itoa(s.Port()), "set", "k", "v").CombinedOutput()
			return string(out), err
		}
		out, err := cli()
		require.NoError(t, err)
		assert.Equal(t, "OK\n", out)
		s.Stop()
		out, _ = cli()
		assert.Contains(t, out, "Connection refused")
		s.Start()
		out, err = cli()
		require.NoError(t, err)
		assert.Equal(t, "OK\n", out)
	})
	t.Run("postgres", func(t *testing.T) {
		s := Postgres(t)
		out, err := exec.Command("psql", s.URL, "-tAc", "select current_user || ' ' || current_database()").CombinedOutput()
		require.NoError(t, err, string(out))
		assert.Equal(t, "spin spin\n", string(out))
	})
	t.Run("mysql", func(t *testing.T) {
		s := MySQL(t)
		out, err := exec.Command("mariadb", "--no-defaults", "-h127.0.0.1", "-P"+strconv.Itoa(s.Port()), "-uspin", "-pspin", "spin", "-NBe", "select current_user()").CombinedOutput()
		require.NoError(t, err, string(out))
		assert.Equal(t, "spin@%\n", string(out))
	})
	t.Run("mosquitto", func(t *testing.T) {
		s := Mosquitto(t)
		wait := Subscribe(t, s, "greetings", 1)
		out, err := exec.Command("mosquitto_pub", "-h", "127.0.0.1", "-p", strconv.Itoa(s.Port()), "-t", "greetings", "-m", "hi").CombinedOutput()
		require.NoError(t, err, string(out))
		got, err := wait(5 * time.Second)
		require.NoError(t, err)
		assert.Equal(t, []string{"greetings hi"}, got)
	})
}
