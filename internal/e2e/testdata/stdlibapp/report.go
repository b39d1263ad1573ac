// Command stdlibapp exercises the standard packages that componentize-go
// patches for size (internal/stdpatch): its report must be the same in a
// component as in a native run of the same code.
package main

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hpke"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"math/big"
	"mime"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// report runs every check and returns one line per check.
func report() string {
	var b strings.Builder
	line := func(name string, v any, err error) {
		if err != nil {
			fmt.Fprintf(&b, "%s: error: %v\n", name, err)
			return
		}
		fmt.Fprintf(&b, "%s: %v\n", name, v)
	}
	for _, c := range []elliptic.Curve{elliptic.P224(), elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		ok, err := ecdsaRoundTrip(c)
		line("ecdsa "+c.Params().Name, ok, err)
	}
	for _, c := range []ecdh.Curve{ecdh.X25519(), ecdh.P256(), ecdh.P384(), ecdh.P521()} {
		ok, err := ecdhRoundTrip(c)
		line(fmt.Sprint("ecdh ", c), ok, err)
	}
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	key := ed25519.NewKeyFromSeed(seed)
	line("ed25519 signature", hex.EncodeToString(ed25519.Sign(key, []byte("spin")))[:32], nil)
	for _, kem := range []hpke.KEM{hpke.DHKEM(ecdh.P256()), hpke.DHKEM(ecdh.P384()), hpke.DHKEM(ecdh.P521()), hpke.DHKEM(ecdh.X25519()), hpke.MLKEM768X25519(), hpke.MLKEM768P256(), hpke.MLKEM1024P384()} {
		pub, ok, err := hpkeRoundTrip(kem)
		line(fmt.Sprintf("hpke kem %#04x", kem.ID()), fmt.Sprint(ok, " ", pub), err)
	}
	cert, err := certificate(key)
	line("x509", cert, err)
	line("asn1", asn1RoundTrip(), nil)
	line("mime .html", mime.TypeByExtension(".html"), nil)
	exts, err := mime.ExtensionsByType("image/png")
	line("mime image/png", exts, err)
	for _, level := range []int{flate.HuffmanOnly, flate.BestSpeed, flate.DefaultCompression} {
		sum, err := gzipRoundTrip(level)
		line(fmt.Sprint("gzip level ", level), sum, err)
	}
	line("crc32", fmt.Sprintf("%08x %08x", crc32.ChecksumIEEE([]byte("spin")), crc32.Checksum([]byte("spin"), crc32.MakeTable(crc32.Castagnoli))), nil)
	line("sha3-256", fmt.Sprintf("%x", sha3.Sum256([]byte("spin")))[:16], nil)
	line("big", new(big.Int).Lsh(big.NewInt(3), 100), nil)
	initChecks(line)
	frameChecks(line)
	line("fresh memory is zero", freshMemoryIsZero(), nil)
	return b.String()
}

// freshMemoryIsZero grows the heap over several arenas (the runtime patch
// skips clearing the alignment gaps sbrk hands back), frees it, and checks
// that what is allocated next reads as zero.
func freshMemoryIsZero() bool {
	var keep [][]byte
	for i := 0; i < 48; i++ {
		b := make([]byte, 1<<20+i*4096)
		for j := range b {
			b[j] = 0xa5
		}
		keep = append(keep, b)
	}
	keep = nil
	runtime.GC()
	debug.FreeOSMemory()
	for i := 0; i < 64; i++ {
		for _, c := range make([]byte, 1<<20+i*8192) {
			if c != 0 {
				return false
			}
		}
	}
	return len(keep) == 0
}

func ecdsaRoundTrip(c elliptic.Curve) (bool, error) {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		return false, err
	}
	digest := sha256.Sum256([]byte("spin"))
	sig, err := ecdsa.SignASN1(rand.Reader, k, digest[:])
	if err != nil {
		return false, err
	}
	return ecdsa.VerifyASN1(&k.PublicKey, digest[:], sig), nil
}

func ecdhRoundTrip(c ecdh.Curve) (bool, error) {
	a, err := c.GenerateKey(rand.Reader)
	if err != nil {
		return false, err
	}
	b, err := c.GenerateKey(rand.Reader)
	if err != nil {
		return false, err
	}
	s1, err := a.ECDH(b.PublicKey())
	if err != nil {
		return false, err
	}
	s2, err := b.ECDH(a.PublicKey())
	return bytes.Equal(s1, s2), err
}

// hpkeRoundTrip seals to a generated key and opens again, and returns the
// start of the public key derived from fixed input (the same everywhere).
func hpkeRoundTrip(kem hpke.KEM) (string, bool, error) {
	k, err := kem.GenerateKey()
	if err != nil {
		return "", false, err
	}
	ct, err := hpke.Seal(k.PublicKey(), hpke.HKDFSHA256(), hpke.AES128GCM(), []byte("info"), []byte("hello"))
	if err != nil {
		return "", false, err
	}
	pt, err := hpke.Open(k, hpke.HKDFSHA256(), hpke.AES128GCM(), []byte("info"), ct)
	if err != nil {
		return "", false, err
	}
	derived, err := kem.DeriveKeyPair(bytes.Repeat([]byte{1}, 64))
	if err != nil {
		return "", false, err
	}
	pub := derived.PublicKey().Bytes()
	return hex.EncodeToString(pub[:8]), string(pt) == "hello", nil
}

// certificate makes a deterministic self-signed certificate (Ed25519
// signatures are deterministic) with a policy OID past 64 bits, and
// reports its digest and the names as x509 prints them.
func certificate(key ed25519.PrivateKey) (string, error) {
	oid, err := x509.ParseOID("1.2.3.18446744073709551616")
	if err != nil {
		return "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42),
		Subject:      pkix.Name{CommonName: "spin-go", Organization: []string{"Fermyon"}},
		NotBefore:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
		Policies:     []x509.OID{oid},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return "", err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	// A non-string attribute prints as hex DER (through asn1.Marshal).
	extra := pkix.RDNSequence{{{Type: asn1.ObjectIdentifier{1, 2, 3, 4}, Value: 17}}}
	return fmt.Sprintf("%x %s %s %v %s", sum[:8], cert.Subject, cert.Policies[0], cert.NotBefore, extra), nil
}

func asn1RoundTrip() string {
	type record struct {
		N    *big.Int
		T    time.Time
		Bits asn1.BitString
		OID  asn1.ObjectIdentifier
		Enum asn1.Enumerated
		Raw  asn1.RawValue
	}
	in := record{
		N: new(big.Int).Lsh(big.NewInt(1), 70), T: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC),
		Bits: asn1.BitString{Bytes: []byte{0xa0}, BitLength: 3}, OID: asn1.ObjectIdentifier{1, 3, 6, 1},
		Enum: 2, Raw: asn1.RawValue{Tag: asn1.TagInteger, Bytes: []byte{5}},
	}
	der, err := asn1.Marshal(in)
	if err != nil {
		return "marshal: " + err.Error()
	}
	var out record
	if _, err := asn1.Unmarshal(der, &out); err != nil {
		return "unmarshal: " + err.Error()
	}
	return fmt.Sprintf("%x %v %v %v %v", der, out.N, out.T, out.OID, out.N.Cmp(in.N) == 0 && out.T.Equal(in.T))
}

func gzipRoundTrip(level int) (string, error) {
	text := bytes.Repeat([]byte("Spin components in Go, small and fast. "), 50)
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		return "", err
	}
	w.ModTime = time.Unix(0, 0)
	if _, err := w.Write(text); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	compressed, sum := buf.Len(), crc32.ChecksumIEEE(buf.Bytes())
	r, err := gzip.NewReader(&buf)
	if err != nil {
		return "", err
	}
	back, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d bytes, %08x, %v", compressed, sum, bytes.Equal(back, text)), nil
}
