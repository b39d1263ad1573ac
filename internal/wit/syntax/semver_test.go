package syntax

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVersion(t *testing.T) {
	good := []string{"0.0.0", "1.2.3", "0.3.0-rc-2026-03-15", "0.2.0-draft-2024-09-27", "1.0.0-alpha.1", "1.0.0+build.5", "1.0.0-rc.1+meta", "0.2.0-rc.2"}
	for _, s := range good {
		v, err := ParseVersion(s)
		require.NoError(t, err, s)
		assert.Equal(t, s, v.String())
	}
	bad := []string{"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.3-", "1.2.3-01", "1.2.3-a..b", "1.2.3+", "a.b.c", "1.2.3-ä"}
	for _, s := range bad {
		_, err := ParseVersion(s)
		assert.Error(t, err, s)
	}
}

func TestVersionCompare(t *testing.T) {
	// Ascending per semver.org §11.
	order := []string{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"}
	for i := range order {
		for j := range order {
			a, _ := ParseVersion(order[i])
			b, _ := ParseVersion(order[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			assert.Equal(t, want, a.Compare(b), "%s vs %s", order[i], order[j])
		}
	}
}

func TestValidateID(t *testing.T) {
	for _, s := range []string{"a", "a-b-c", "a1-2-3", "A", "A-B-C", "A1-2-3", "a11-w0rds", "A11-4CR0NYMS", "m1x3d-4CR0NYMS", "HTTP-request-URI-invalid"} {
		assert.NoError(t, ValidateID(s), s)
	}
	for _, s := range []string{"", "1-2-3", "-a", "a-", "a--b", "aB", "a_b", "Ab"} {
		assert.Error(t, ValidateID(s), s)
	}
}
