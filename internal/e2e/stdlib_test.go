package e2e

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/spintest"
)

// TestPatchedStdlibBehavesTheSame runs testdata/stdlibapp, which uses every
// standard package componentize-go patches for size (ECDSA and ECDH on all
// curves, Ed25519, HPKE with every KEM, x509 with a policy OID past 64
// bits and a hex-printed attribute and name constraints, asn1 with big.Int
// and time, gzip at the levels that use the fixed Huffman tables, CRC-32,
// SHA-3, base64, AES-GCM, RSA, TLS alerts, net/http's header, cookie,
// request, response and redirect writing), in a
// component built with the patches and natively without them: the reports
// must be identical, line for line. MIME lookups are checked against the
// built-in table instead, since a native run also reads /etc/mime.types,
// and the component alone reports whether stdio is pollable (it is not:
// the preview1 adapter keeps it blocking, so syscall's init need not ask).
func TestPatchedStdlibBehavesTheSame(t *testing.T) {
	eachVersion(t, func(t *testing.T, opts spintest.UpOptions) {
		cmd := exec.Command("go", "run", "./testdata/stdlibapp")
		native, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", native)

		srv := spintest.Up(t, oneComponentApp(t, "stdlibapp", ""), opts)
		resp, got := srv.Get(t, "/")
		require.Equal(t, 200, resp.StatusCode, got)

		withoutMIME := func(report string) []string {
			var lines []string
			for _, l := range strings.Split(report, "\n") {
				if !strings.HasPrefix(l, "mime ") && !strings.HasPrefix(l, "component ") {
					lines = append(lines, l)
				}
			}
			return lines
		}
		assert.Equal(t, withoutMIME(string(native)), withoutMIME(got))
		assert.NotContains(t, got, "error")
		assert.NotContains(t, got, "false")
		for _, f := range []string{"stdin", "stdout", "stderr"} {
			assert.Contains(t, got, "component /dev/"+f+" deadline: file type does not support deadline\n", "stdio stays blocking")
		}
		assert.Contains(t, got, "mime .html: text/html; charset=utf-8\n")
		assert.Contains(t, got, "mime image/png: [.png]\n")
		assert.Contains(t, got, "x509: 6545afddfe77ba57 CN=spin-go,O=Fermyon 1.2.3.18446744073709551616 2026-01-01 00:00:00 +0000 UTC 1.2.3.4=#020111\n")
	})
}
