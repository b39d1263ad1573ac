package stdpatch

// NetHTTPHookTag is the build tag set when net/http's DefaultTransport
// calls github.com/spin-go/sdk/http's roundTrip by link name.
const NetHTTPHookTag = "spin_nethttp_hook"

// NoFindFuncTabTag is the build tag set when the runtime's findfunc no
// longer reads runtime.findfunctab, so that the build may drop the table's
// data from the module (internal/gowasm).
const NoFindFuncTabTag = "spin_no_findfunctab"

// SpinHTTP is the import path of spin-go's http package.
const SpinHTTP = "github.com/spin-go/sdk/http"

// defaultTransport is net/http's DefaultTransport declaration (Go 1.25,
// 1.26), which the net/http patches replace.
const defaultTransport = `var DefaultTransport RoundTripper = &Transport{
	Proxy: ProxyFromEnvironment,
	DialContext: defaultTransportDialContext(&net.Dialer{
		Timeout:   30 * time.Second,
		KeepAlive: 30 * time.Second,
	}),
	ForceAttemptHTTP2:     true,
	MaxIdleConns:          100,
	IdleConnTimeout:       90 * time.Second,
	TLSHandshakeTimeout:   10 * time.Second,
	ExpectContinueTimeout: 1 * time.Second,
}
`

// Patches are the rewrites componentize-go applies to wasip1 builds. The
// sizes are what each saved in the spinhttp hello-world with Go 1.26.8
// (bench/ measures the total).
var Patches = []Patch{
	{
		Dir:      "net/http",
		IfLinked: SpinHTTP,
		Why: `DefaultTransport is a &Transport{} literal, which keeps the whole dialing,
HTTP/2 and TLS client (about 2.7 MB) alive once anything touches DefaultTransport.
A component has no sockets to dial: Spin sends its requests. With spinhttp
linked, the replacement RoundTripper calls wasiSpinRoundTrip, which is
spinhttp's roundTrip under that name (go:linkname, build tag NetHTTPHookTag).
Because it is a reference from RoundTrip and not an assignment at init,
spin-go's HTTP client (250 kB) is linked only into programs that send
requests, and no spin-go type with a *http.Request in its method set is put
in an interface at init (which would keep every String method reachable
from Request.TLS: crypto/x509 and math/big, 350 kB).`,
		Edits: []Edit{{
			// go:linkname needs the file to import unsafe (it does).
			File: "transport.go", Old: "\t_ \"unsafe\"\n", New: "\t_ \"unsafe\"\n",
		}, {
			File: "transport.go",
			Old:  defaultTransport,
			New: `var DefaultTransport RoundTripper = wasiTransport{} // replaced by componentize-go

// wasiTransport is DefaultTransport in a wasip1 component, which has no
// sockets to dial: it sends through the Spin host. (Added by componentize-go.)
type wasiTransport struct{}

func (wasiTransport) RoundTrip(req *Request) (*Response, error) { return wasiSpinRoundTrip(req) }

// wasiSpinRoundTrip is github.com/spin-go/sdk/http's roundTrip, which takes
// this name with go:linkname. (Added by componentize-go.)
//
//go:linkname wasiSpinRoundTrip
func wasiSpinRoundTrip(*Request) (*Response, error)
`,
		}},
		Tags:       []string{NetHTTPHookTag},
		Verified:   []string{"4772c9eae26cf1c6"},
		AnyVersion: true,
	},
	{
		Dir:         "net/http",
		IfNotLinked: SpinHTTP,
		Why: `As above, without spinhttp: DefaultTransport fails with an error that says
to import it.`,
		Edits: []Edit{{
			// The replacement uses errors (imported).
			File: "transport.go", Old: "\t\"errors\"\n", New: "\t\"errors\"\n",
		}, {
			File: "transport.go",
			Old:  defaultTransport,
			New: `var DefaultTransport RoundTripper = wasiNoTransport{} // replaced by componentize-go

// wasiNoTransport is DefaultTransport in a wasip1 component that does not
// link github.com/spin-go/sdk/http. (Added by componentize-go.)
type wasiNoTransport struct{}

func (wasiNoTransport) RoundTrip(*Request) (*Response, error) {
	return nil, errors.New("net/http: no DefaultTransport in a wasip1 component: import github.com/spin-go/sdk/http, which sends requests through the Spin host")
}
`,
		}},
		Verified:   []string{"4772c9eae26cf1c6"},
		AnyVersion: true,
	},
	{
		Dir: "net/http",
		Why: `Tables only some requests use are built at init: the HTTP/2 error, flag and
setting name maps, the header sets excluded from requests and responses,
three strings.Replacers, two reflect types and the padding buffer (most of
net/http's 34 µs of every fresh instance). Each is made on first use.`,
		Lazy: []Lazy{
			{Name: "http2errCodeName", Type: "map[http2ErrCode]string"},
			{Name: "http2flagName", Type: "map[http2FrameType]map[http2Flags]string"},
			{Name: "http2settingName", Type: "map[http2SettingID]string"},
			{Name: "http2padZeros", Type: "[]byte"},
			{Name: "reqWriteExcludeHeader", Type: "map[string]bool"},
			{Name: "respExcludeHeader", Type: "map[string]bool"},
			{Name: "excludedHeadersNoBody", Type: "map[string]bool"},
			{Name: "stateName", Type: "map[ConnState]string"},
			{Name: "cookieNameSanitizer", Type: "*strings.Replacer"},
			{Name: "headerNewlineToSpace", Type: "*strings.Replacer"},
			{Name: "htmlReplacer", Type: "*strings.Replacer"},
			{Name: "nopCloserType", Type: "reflect.Type"},
			{Name: "nopCloserWriterToType", Type: "reflect.Type"},
		},
		Verified: []string{"4772c9eae26cf1c6"},
	},
	{
		Dir: "crypto/internal/fips140",
		Why: `Every FIPS 140 algorithm package registers its known-answer self-test at init
with fips140.CAST(name, func), and key generation calls fips140.PCT: the
closures keep AES, SHA-2/3, HMAC, HKDF, ECDSA, RSA, ML-KEM, Ed25519 and ECDH
(380 kB) alive. FIPS 140 mode cannot be enabled on wasm
(crypto/internal/fips140/check panics at init when GODEBUG=fips140 asks for it,
before any self-test could run), so on GOARCH=wasm CAST and PCT have nothing to
do; with a constant condition they inline to nothing and the closures go.
Other architectures run the original functions.`,
		Edits: []Edit{
			{File: "cast.go", Old: "import (\n", New: "import (\n\t\"runtime\"\n"},
			{File: "cast.go", Old: "func CAST(name string, f func() error) {\n", New: `func CAST(name string, f func() error) {
	if runtime.GOARCH != "wasm" { // FIPS 140 mode is never on (componentize-go)
		castChecked(name, f)
	}
}

func castChecked(name string, f func() error) {
`},
			{File: "cast.go", Old: "func PCT(name string, f func() error) {\n", New: `func PCT(name string, f func() error) {
	if runtime.GOARCH != "wasm" { // FIPS 140 mode is never on (componentize-go)
		pctChecked(name, f)
	}
}

func pctChecked(name string, f func() error) {
`},
		},
		Verified: []string{"1ca1a5cd2d12c193"},
	},
	{
		Dir: "crypto/hpke",
		Why: `The KEM table (dhKEMP256 … mlkem1024P384) is built at init from ecdh.P256()
… ecdh.P521(), whose curve values hold the generate/ECDH functions of every
NIST curve: 520 kB of nistec and fiat code that only HPKE users need.`,
		Lazy: []Lazy{
			{Name: "dhKEMP256", Type: "*dhKEM"},
			{Name: "dhKEMP384", Type: "*dhKEM"},
			{Name: "dhKEMP521", Type: "*dhKEM"},
			{Name: "dhKEMX25519", Type: "*dhKEM"},
			{Name: "mlkem768X25519", Type: "*hybridKEM"},
			{Name: "mlkem768P256", Type: "*hybridKEM"},
			{Name: "mlkem1024P384", Type: "*hybridKEM"},
		},
		Verified: []string{"46f72c28db3f1d2e"},
	},
	{
		Dir: "crypto/internal/fips140/ecdsa",
		Why: `_P224 … _P521 are sync.OnceValue variables: creating them at init keeps
their closures (curve parameters and precomputation, 45 kB) alive.`,
		Lazy:     []Lazy{{Name: "_P224"}, {Name: "_P256"}, {Name: "_P384"}, {Name: "_P521"}},
		Verified: []string{"193b373a6d9deb01"},
	},
	{
		Dir: "net",
		Why: `readProtocolsOnce (a sync.OnceFunc reading /etc/protocols, 25 kB) is created at init.
rfc6724policyTable (RFC 6724 address-selection prefixes, only used to sort DNS
answers) is built at init with netip.AddrFrom16, whose first unique.Make
sets up the unique package: about 80 µs of every fresh instance's start.`,
		Lazy:     []Lazy{{Name: "readProtocolsOnce"}, {Name: "rfc6724policyTable", Type: "policyTable"}},
		Verified: []string{"b2a37e7e05c3339a"},
	},
	{
		Dir: "mime",
		Why: `type_unix.go's init stores initMimeUnix (reading /etc/mime.types and the
shared MIME globs, 80 kB with bufio and os) in osInitMime for initMime to
call on first lookup; calling it directly from initMime keeps it only where
TypeByExtension or ExtensionsByType are used. (Overlays are wasip1-only,
which uses type_unix.go.)`,
		Edits: []Edit{
			{File: "type_unix.go", Old: "func init() {\n\tosInitMime = initMimeUnix\n}\n", New: ""},
			{File: "type.go", Old: "\t\tosInitMime()\n", New: "\t\tinitMimeUnix() // was osInitMime() (componentize-go)\n"},
		},
		Verified: []string{"94e92580aac425b2"},
	},
	{
		Dir: "encoding/asn1",
		Why: `The reflect.Type variables compared against while marshalling are set at
init with reflect.TypeFor, which marks *big.Int and time.Time as converted to
interfaces and so keeps their String, Format and Scan methods (150 kB of
math/big and time) in every program that imports crypto/x509.`,
		Lazy: []Lazy{
			{Name: "bitStringType", Type: "reflect.Type"},
			{Name: "objectIdentifierType", Type: "reflect.Type"},
			{Name: "enumeratedType", Type: "reflect.Type"},
			{Name: "flagType", Type: "reflect.Type"},
			{Name: "timeType", Type: "reflect.Type"},
			{Name: "rawValueType", Type: "reflect.Type"},
			{Name: "rawContentsType", Type: "reflect.Type"},
			{Name: "bigIntType", Type: "reflect.Type"},
			{Name: "bigOne", Type: "*big.Int"},
		},
		Verified: []string{"42d1c49b5f73a13d"},
	},
	{
		Dir: "compress/flate",
		Why: `The fixed Huffman encoders are generated at init (20 kB of encoder
construction that only compressing code needs).`,
		Edits: []Edit{{
			File: "huffman_bit_writer.go",
			Old: `var huffOffset *huffmanEncoder

func init() {
	offsetFreq := make([]int32, offsetCodeCount)
	offsetFreq[0] = 1
	huffOffset = newHuffmanEncoder(offsetCodeCount)
	huffOffset.generate(offsetFreq, 15)
}
`,
			New: `var huffOffset = newHuffOffset()

// newHuffOffset was this file's init (componentize-go).
func newHuffOffset() *huffmanEncoder {
	offsetFreq := make([]int32, offsetCodeCount)
	offsetFreq[0] = 1
	h := newHuffmanEncoder(offsetCodeCount)
	h.generate(offsetFreq, 15)
	return h
}
`,
		}},
		Lazy: []Lazy{
			{Name: "huffOffset", Type: "*huffmanEncoder"},
			{Name: "fixedLiteralEncoding"},
			{Name: "fixedOffsetEncoding"},
		},
		Verified: []string{"5fa50a5949ffd834"},
	},
	{
		Dir: "vendor/golang.org/x/net/http2/hpack",
		Why: `The HPACK static table (two maps of the 61 predefined header fields,
7 kB) is built at init in every instance, and a component does not speak
HTTP/2 itself.`,
		Lazy:     []Lazy{{Name: "staticTable", Type: "*headerFieldTable"}},
		Verified: []string{"bc01a704fca94060"},
	},
	{
		Dir: "net/netip",
		Why: `z4 and z6noz, the interned details of IPv4 and plain IPv6 addresses, are
made with unique.Make at init, which sets up the unique package's map in
every instance (0.1 ms per request in a component) whether or not the
program handles an IP address.`,
		Lazy: []Lazy{
			{Name: "z4", Type: "unique.Handle[addrDetail]"},
			{Name: "z6noz", Type: "unique.Handle[addrDetail]"},
		},
		Verified: []string{"faf2e0958f84621e"},
	},
	{
		Dir: "crypto/internal/fips140/edwards25519",
		Why: `The identity and generator points are decoded from bytes at init, a
point decompression (a field exponentiation, 0.1 ms) in every instance of
every program that links crypto/tls. The curve constants d and 2d, the
package's field element one and two scalar constants are made at init too:
the FIPS 140 module is compiled without pointers in static data, so even a
constant &Scalar{…} is allocated then.`,
		Lazy: []Lazy{
			{Name: "identity", Type: "*Point"},
			{Name: "generator", Type: "*Point"},
			{Name: "feOne", Type: "*field.Element"},
			{Name: "d", Type: "*field.Element"},
			{Name: "d2", Type: "*field.Element"},
			{Name: "scalarTwo168", Type: "*Scalar"},
			{Name: "scalarTwo336", Type: "*Scalar"},
		},
		Verified: []string{"6634583872729ffb"},
	},
	{
		Dir: "hash/crc32",
		Why: `IEEETable is computed at init (a loop filling a newly allocated 1 kB
table), and the IEEE and Castagnoli sync.OnceFunc values are made at init:
22 µs of every fresh instance of a program that imports compress/gzip, as
net/http does. The table becomes static data; the OnceFuncs are made on
first use.`,
		Edits: []Edit{{
			File: "crc32.go",
			Old:  "var IEEETable = simpleMakeTable(IEEE)\n",
			New:  "var IEEETable = " + crc32IEEETable() + " // computed by componentize-go\n",
		}},
		Lazy:     []Lazy{{Name: "castagnoliInitOnce"}, {Name: "ieeeInitOnce"}},
		Verified: []string{"7143c2299b767f3a"},
	},
	{
		Dir: "encoding/base64",
		Why: `StdEncoding, URLEncoding and their raw forms are built at init, each a
256-entry decoding table filled in a loop: 8 µs of every fresh instance of
a program that links net/http. They become static data.`,
		Edits: []Edit{{
			File: "base64.go",
			Old:  "var StdEncoding = NewEncoding(\"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/\")\n",
			New:  "var StdEncoding = " + base64Encoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "StdPadding") + " // computed by componentize-go\n",
		}, {
			File: "base64.go",
			Old:  "var URLEncoding = NewEncoding(\"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_\")\n",
			New:  "var URLEncoding = " + base64Encoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", "StdPadding") + " // computed by componentize-go\n",
		}, {
			File: "base64.go",
			Old:  "var RawStdEncoding = StdEncoding.WithPadding(NoPadding)\n",
			New:  "var RawStdEncoding = " + base64Encoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "NoPadding") + " // computed by componentize-go\n",
		}, {
			File: "base64.go",
			Old:  "var RawURLEncoding = URLEncoding.WithPadding(NoPadding)\n",
			New:  "var RawURLEncoding = " + base64Encoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", "NoPadding") + " // computed by componentize-go\n",
		}},
		Verified: []string{"c346ad3f6827b07c"},
	},
	{
		Dir: "crypto/x509",
		Why: `dnsCompareTable (ASCII lower-cased) is filled by a loop in init. It becomes
static data; the loop stays, renamed and unused, to say how it was made. The
any-policy OID is made on first use.`,
		Edits: []Edit{{
			File: "constraints.go",
			Old:  "var dnsCompareTable [256]byte\n\nfunc init() {\n",
			New:  "var dnsCompareTable = " + x509DNSCompareTable() + " // computed by componentize-go\n\n// initDNSCompareTable was init; the table is now static (componentize-go).\nfunc initDNSCompareTable() {\n",
		}},
		Lazy: []Lazy{
			{Name: "anyPolicyOID", Type: "OID"},
		},
		Verified: []string{"c41dbb29e28c7a4a"},
	},
	{
		Dir:      "vendor/golang.org/x/net/http/httpproxy",
		Why:      `portMap (scheme → default port) is a map built at init.`,
		Lazy:     []Lazy{{Name: "portMap", Type: "map[string]string"}},
		Verified: []string{"b59a6b026af2ef66"},
	},
	{
		Dir: "vendor/golang.org/x/net/dns/dnsmessage",
		Why: `The names of DNS types, classes, rcodes, sections and SVCB keys are maps
built at init, used only by String methods.`,
		Lazy: []Lazy{
			{Name: "typeNames", Type: "map[Type]string"},
			{Name: "classNames", Type: "map[Class]string"},
			{Name: "rCodeNames", Type: "map[RCode]string"},
			{Name: "sectionNames", Type: "map[section]string"},
			{Name: "svcParamKeyNames", Type: "map[SVCParamKey]string"},
		},
		Verified: []string{"0e72f5846b01a499"},
	},
	{
		Dir: "crypto/internal/fips140/rsa",
		Why: `The self-test's sync.OnceFunc, the PKCS #1 v1.5 hash prefixes (a map) and the
small primes for key generation (a 2 kB slice: the FIPS 140 module is
compiled without pointers in static data, so slices are built at init) are
made at init in every program that links crypto/tls.`,
		Lazy:     []Lazy{{Name: "fipsSelfTest"}, {Name: "hashPrefixes", Type: "map[string][]byte"}, {Name: "primes", Type: "[]uint"}},
		Verified: []string{"015a0399c77f73ba"},
	},
	{
		Dir: "crypto/tls",
		Why: `The alert texts (a map) and the certificate cache are made at init in every
program that links net/http.`,
		Lazy: []Lazy{
			{Name: "alertText", Type: "map[alert]string"},
			{Name: "globalCertCache", Type: "*weakCertCache"},
		},
		Verified: []string{"929c9f5ba38d4a01"},
	},
	{
		Dir: "crypto/internal/fips140/aes/gcm",
		Why: `The open error and the GHASH reduction table are allocated at init in every
program that links crypto/tls.`,
		Lazy:     []Lazy{{Name: "errOpen", Type: "error"}, {Name: "ghashReductionTable", Type: "[]uint16"}},
		Verified: []string{"44da6ba492c9cf7c"},
	},
	{
		Dir: "crypto/internal/fips140/ecdh",
		Why: `The self-test's sync.OnceFunc and the curve orders (slices, which the FIPS 140
module builds at init) are made at init.`,
		Lazy: []Lazy{
			{Name: "fipsSelfTest"},
			{Name: "p224Order", Type: "[]byte"}, {Name: "p256Order", Type: "[]byte"},
			{Name: "p384Order", Type: "[]byte"}, {Name: "p521Order", Type: "[]byte"},
		},
		Verified: []string{"081c4528b5d64ad3"},
	},
	{
		Dir: "crypto/internal/fips140/edwards25519/field",
		Why: `The FIPS 140 module is compiled without pointers in static data, so the
constant *Element values zero, one and sqrt(-1) are allocated and copied at
init in every program that links crypto/tls.`,
		Lazy:     []Lazy{{Name: "feZero", Type: "*Element"}, {Name: "feOne", Type: "*Element"}, {Name: "sqrtM1", Type: "*Element"}},
		Verified: []string{"3ee7621c98d08c2f"},
	},
	{
		Dir: "runtime",
		Why: `The first heap arena is aligned to 4 MB: sysReserveAlignedSbrk grows linear
memory past the gap between the end of the program's data and the next 4 MB
boundary, and hands the gap to memFree, which zeroes it. That memory was just
grown and is zero already (memory above the break is always zero: sysFreeOS
clears before lowering it), but writing it touches every page, up to 4 MB of
fresh pages in every instance, one page fault each. memFreeZeroed keeps the
free-list bookkeeping and skips the clear.`,
		Edits: []Edit{{
			File: "mem_sbrk.go",
			Old:  "func memFree(ap unsafe.Pointer, n uintptr) {\n\tn = memRound(n)\n\tmemclrNoHeapPointers(ap, n)\n",
			New: `func memFree(ap unsafe.Pointer, n uintptr) {
	n = memRound(n)
	memclrNoHeapPointers(ap, n)
	memFreeZeroed(ap, n)
}

// memFreeZeroed is memFree for memory that is already zero: fresh from
// sbrk. (Added by componentize-go.)
//
//go:systemstack
func memFreeZeroed(ap unsafe.Pointer, n uintptr) {
	n = memRound(n)
`,
		}, {
			File: "mem_sbrk.go",
			Old:  "\t\t\t// Free the area we skipped over for alignment.\n\t\t\tmemFree(r, l)\n",
			New:  "\t\t\t// Free the area we skipped over for alignment. It came from\n\t\t\t// sbrk, so it is zero (componentize-go).\n\t\t\tmemFreeZeroed(r, l)\n",
		}},
		Verified: []string{"457abed3e7c80f6d"},
	},
	{
		Dir: "runtime",
		Why: `findfunc maps a PC to its function through runtime.findfunctab, 20 bytes for
every 4 kB of PC. On wasm a function's PCs are its index shifted left by 16,
so every function takes 64 kB of PC and 16 buckets: the table is about 320
bytes a function, mostly zeros, and Go's linker splits zero runs into data
segments, one per bucket. That is 0.75 MB of memory and 370 kB of the
hello-world's file in 38,000 segments, which V8 copies one by one into every
fresh instance (1 ms of its 2.1 ms instantiation). findfunc now finds the
entry by binary search in ftab, which the runtime checks is sorted at
start; componentize-go then leaves the unread table out of the module
(internal/gowasm). Stack scans and tracebacks take about 11 comparisons per
frame instead of a table lookup.`,
		Edits: []Edit{{
			File: "symtab.go",
			Old: `	ffb := (*findfuncbucket)(add(unsafe.Pointer(datap.findfunctab), b*unsafe.Sizeof(findfuncbucket{})))
	idx := ffb.idx + uint32(ffb.subbuckets[i])
`,
			New: `	// componentize-go leaves findfunctab out of the module: search ftab.
	_, _ = b, i
	idx := findfuncSearch(datap.ftab, pcOff)
`,
		}, {
			File: "symtab.go",
			Old:  "// A srcFunc represents a logical function in the source code.",
			New: `// findfuncSearch returns the index of the last ftab entry at or before
// pcOff. ftab is sorted (moduledataverify checks it) and ends with an entry
// for etext, past every pcOff that textOff accepts. (Added by
// componentize-go, which drops findfunctab from the module.)
//
//go:nosplit
func findfuncSearch(ftab []functab, pcOff uint32) uint32 {
	lo, hi := 0, len(ftab)-1
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if ftab[m].entryoff <= pcOff {
			lo = m
		} else {
			hi = m
		}
	}
	return uint32(lo)
}

// A srcFunc represents a logical function in the source code.`,
		}},
		Tags:     []string{NoFindFuncTabTag},
		Verified: []string{"457abed3e7c80f6d"},
	},
	{
		Dir: "syscall",
		Why: `syscall's init asks to make stdin, stdout and stderr non-blocking: six calls
into the WASI preview1 adapter (read the flags, set them, for each), about
0.2 ms of a fresh instance under jco. The adapter in a component
(wasmtime's, which jco and wasm-tools apply) changes flags only on files
and answers EBADF for stdio, so the calls change nothing: the streams stay
blocking either way (os.Stdout.SetDeadline says so in both builds).`,
		Edits: []Edit{{
			File: "fs_wasip1.go",
			Old:  "\tSetNonblock(0, true)\n\tSetNonblock(1, true)\n\tSetNonblock(2, true)\n",
			New:  "\t// componentize-go: the component's preview1 adapter refuses flags on\n\t// stdio (EBADF), so these calls are left out.\n",
		}},
		Verified: []string{"7c5eb733cc2f3f10"},
	},
}
