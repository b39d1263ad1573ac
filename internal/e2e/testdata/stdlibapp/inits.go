package main

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// initChecks exercises what componentize-go moves out of package init
// (static tables, values made on first use): base64's encodings, net/http's
// header and name tables, TLS alert texts, AES-GCM, RSA PKCS #1 v1.5 and
// x509 name constraints with the any-policy OID.
func initChecks(line func(string, any, error)) {
	in := []byte{0xfb, 0xff, 0xbf, 's', 'p', 'i', 'n'}
	for _, e := range []struct {
		name string
		enc  *base64.Encoding
	}{{"std", base64.StdEncoding}, {"url", base64.URLEncoding}, {"raw std", base64.RawStdEncoding}, {"raw url", base64.RawURLEncoding}} {
		s := e.enc.EncodeToString(in)
		back, err := e.enc.DecodeString(s)
		_, bad := e.enc.DecodeString("sp!n")
		line("base64 "+e.name, fmt.Sprint(s, " ", bytes.Equal(back, in), " ", bad), err)
	}

	var hdr bytes.Buffer
	err := http.Header{"X-Multi": {"a\nb\rc"}}.Write(&hdr)
	line("http header", fmt.Sprintf("%q", hdr.String()), err)
	req, _ := http.NewRequest("GET", "http://spin.dev/p", nil)
	req.AddCookie(&http.Cookie{Name: "a\nb", Value: "v"})
	line("http cookie", req.Header.Get("Cookie"), nil)
	line("http conn state", http.StateHijacked, nil)
	req.Header.Set("User-Agent", "spin\ngo")
	req.Header.Set("Transfer-Encoding", "chunked") // excluded from the written headers
	var wire bytes.Buffer
	err = req.Write(&wire)
	line("http request", fmt.Sprintf("%q", wire.String()), err)
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")), req)
	wire.Reset()
	if err == nil {
		err = resp.Write(&wire)
	}
	line("http response", fmt.Sprintf("%q", wire.String()), err)
	rec := &recorder{header: http.Header{}}
	http.Redirect(rec, req, "/to?a=<b>", http.StatusFound)
	line("http redirect", fmt.Sprintf("%d %q", rec.code, rec.body.String()), nil)

	line("tls alert", tls.AlertError(40).Error(), nil)

	block, err := aes.NewCipher(bytes.Repeat([]byte{1}, 16))
	if err == nil {
		var gcm cipher.AEAD
		if gcm, err = cipher.NewGCM(block); err == nil {
			sealed := gcm.Seal(nil, make([]byte, 12), []byte("spin"), nil)
			sealed[0] ^= 1
			_, openErr := gcm.Open(nil, make([]byte, 12), sealed, nil)
			line("aes-gcm", fmt.Sprintf("%x %v", gcm.Seal(nil, make([]byte, 12), []byte("spin"), nil), openErr), nil)
		}
	}
	if err != nil {
		line("aes-gcm", nil, err)
	}

	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err == nil {
		digest := sha256.Sum256([]byte("spin"))
		var sig []byte
		if sig, err = rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); err == nil {
			line("rsa pkcs1v15", rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, digest[:], sig) == nil, nil)
		}
	}
	if err != nil {
		line("rsa pkcs1v15", nil, err)
	}

	line("x509 name constraints", constrainedChain(), nil)
}

// constrainedChain verifies a leaf against a root whose permitted DNS
// domains need sorting ("a.spin.dev" before "a-spin.dev") and one outside
// them, with the any policy.
func constrainedChain() string {
	rootKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	leafKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, ed25519.SeedSize))
	when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	root := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "root"},
		NotBefore: when, NotAfter: when.AddDate(10, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
		PermittedDNSDomains: []string{"spin.dev", "a-spin.dev", "a.spin.dev"},
	}
	rootDER, err := x509.CreateCertificate(rand.Reader, root, root, rootKey.Public(), rootKey)
	if err != nil {
		return err.Error()
	}
	rootCert, _ := x509.ParseCertificate(rootDER)
	pool := x509.NewCertPool()
	pool.AddCert(rootCert)
	var out []string
	for _, name := range []string{"x.a.spin.dev", "other.dev"} {
		leaf := &x509.Certificate{
			SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: name},
			NotBefore: when, NotAfter: when.AddDate(1, 0, 0), DNSNames: []string{name},
		}
		der, err := x509.CreateCertificate(rand.Reader, leaf, rootCert, leafKey.Public(), rootKey)
		if err != nil {
			return err.Error()
		}
		cert, _ := x509.ParseCertificate(der)
		_, err = cert.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: when.AddDate(0, 1, 0), DNSName: name,
			CertificatePolicies: []x509.OID{mustOID("2.5.29.32.0")}})
		out = append(out, fmt.Sprintf("%s: %v", name, err))
	}
	return strings.Join(out, "; ")
}

func mustOID(s string) x509.OID {
	oid, err := x509.ParseOID(s)
	if err != nil {
		panic(err)
	}
	return oid
}

// recorder is the least http.ResponseWriter that keeps what is written.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(p []byte) (int, error) { return r.body.Write(p) }
func (r *recorder) WriteHeader(code int)        { r.code = code }
