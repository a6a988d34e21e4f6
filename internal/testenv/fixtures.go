package testenv

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Certificates, keys and DH parameters for the certificate rules, made by
// the tests with Go's crypto so that no private key is ever checked in.
// Configurations under testdata/rules name them as certs/NAME; the rule
// tests serve them through the configuration's FS, the nginx tests write
// them next to the configuration they run.

var (
	fixturesOnce sync.Once
	fixtures     map[string][]byte
	fixturesErr  error
)

// CertFixtures returns the files by the path configurations use. They are
// made once per test binary.
func CertFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	fixturesOnce.Do(func() { fixtures, fixturesErr = makeFixtures() })
	if fixturesErr != nil {
		t.Fatal(fixturesErr)
	}
	return fixtures
}

// WriteCertFixtures writes them under dir.
func WriteCertFixtures(t testing.TB, dir string) {
	t.Helper()
	for name, data := range CertFixtures(t) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

type issued struct {
	cert *x509.Certificate
	der  []byte
	key  crypto.Signer
}

type certSpec struct {
	cn        string
	dns       []string
	notBefore time.Time
	notAfter  time.Time
	ca        bool
	key       crypto.Signer
	sigAlg    x509.SignatureAlgorithm
	ocsp      []string
}

func issue(spec certSpec, parent *issued) (*issued, error) {
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: spec.cn}, DNSNames: spec.dns,
		NotBefore: spec.notBefore, NotAfter: spec.notAfter, SignatureAlgorithm: spec.sigAlg,
		BasicConstraintsValid: true, IsCA: spec.ca, OCSPServer: spec.ocsp,
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	if spec.ca {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}
	signerCert, signerKey := tmpl, spec.key
	if parent != nil {
		signerCert, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, spec.key.Public(), signerKey)
	if err != nil {
		return nil, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &issued{c, der, spec.key}, nil
}

func certPEM(cs ...*issued) []byte {
	var out []byte
	for _, c := range cs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.der})...)
	}
	return out
}

func keyPEM(k crypto.Signer) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// dhPEM is PKCS #3 parameters with a prime of the given size. The number
// is not a safe prime: the rule only measures it, and no configuration
// that nginx loads in a test names it.
func dhPEM(bits int) []byte {
	p, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), uint(bits-1)))
	p.SetBit(p, bits-1, 1).SetBit(p, 0, 1)
	der, _ := asn1.Marshal(struct{ P, G *big.Int }{p, big.NewInt(2)})
	return pem.EncodeToMemory(&pem.Block{Type: "DH PARAMETERS", Bytes: der})
}

func makeFixtures() (map[string][]byte, error) {
	t0 := time.Now()
	ec := func() crypto.Signer { k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader); return k }
	names := []string{"app.example.com", "www.example.com"}
	valid := func(cn string, dns []string, key crypto.Signer) certSpec {
		return certSpec{cn: cn, dns: dns, notBefore: t0.Add(-10 * 24 * time.Hour), notAfter: t0.Add(80 * 24 * time.Hour), key: key}
	}
	root, err := issue(certSpec{cn: "Test Root", notBefore: t0.Add(-1000 * 24 * time.Hour), notAfter: t0.Add(3000 * 24 * time.Hour), ca: true, key: ec()}, nil)
	if err != nil {
		return nil, err
	}
	inter, err := issue(certSpec{cn: "Test Intermediate", notBefore: t0.Add(-500 * 24 * time.Hour), notAfter: t0.Add(2000 * 24 * time.Hour), ca: true, key: ec()}, root)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	leaf := func(name string, spec certSpec, parent *issued, chain bool) (*issued, error) {
		c, err := issue(spec, parent)
		if err != nil {
			return nil, err
		}
		pemData := certPEM(c)
		if chain {
			pemData = certPEM(c, inter)
		}
		out["certs/"+name+".pem"] = pemData
		out["certs/"+name+".key"] = keyPEM(c.key)
		return c, nil
	}
	goodKey := ec()
	good, err := leaf("good", valid("app.example.com", names, goodKey), inter, true)
	if err != nil {
		return nil, err
	}
	// An RSA pair to go with it (the usual RSA + ECDSA dual setup).
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	if _, err := leaf("good-rsa", valid("app.example.com", names, rsaKey), inter, true); err != nil {
		return nil, err
	}
	steps := []struct {
		name  string
		spec  certSpec
		chain bool
	}{
		{"expired", certSpec{cn: "app.example.com", dns: names, notBefore: t0.Add(-100 * 24 * time.Hour), notAfter: t0.Add(-10 * 24 * time.Hour), key: ec()}, true},
		{"future", certSpec{cn: "app.example.com", dns: names, notBefore: t0.Add(10 * 24 * time.Hour), notAfter: t0.Add(100 * 24 * time.Hour), key: ec()}, true},
		{"expiring", certSpec{cn: "app.example.com", dns: names, notBefore: t0.Add(-80 * 24 * time.Hour), notAfter: t0.Add(10 * 24 * time.Hour), key: ec()}, true},
		{"long", certSpec{cn: "app.example.com", dns: names, notBefore: t0.Add(-10 * 24 * time.Hour), notAfter: t0.Add(800 * 24 * time.Hour), key: ec()}, true},
		{"nochain", valid("app.example.com", names, ec()), false},
		{"othername", valid("other.example.org", []string{"other.example.org"}, ec()), true},
		{"wildcard", valid("*.example.com", []string{"*.example.com"}, ec()), true},
		{"ocsp", certSpec{cn: "app.example.com", dns: names, notBefore: t0.Add(-24 * time.Hour), notAfter: t0.Add(80 * 24 * time.Hour), key: ec(), ocsp: []string{"http://ocsp.example.com"}}, true},
	}
	for _, s := range steps {
		if _, err := leaf(s.name, s.spec, inter, s.chain); err != nil {
			return nil, err
		}
	}
	// Self-signed.
	self, err := issue(certSpec{cn: "app.example.com", dns: names, notBefore: t0.Add(-24 * time.Hour), notAfter: t0.Add(300 * 24 * time.Hour), key: ec()}, nil)
	if err != nil {
		return nil, err
	}
	out["certs/selfsigned.pem"], out["certs/selfsigned.key"] = certPEM(self), keyPEM(self.key)
	// Weak crypto: a 1024-bit RSA key, a P-224 key, a SHA-1 signature.
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	if _, err := leaf("rsa1024", valid("app.example.com", names, rsa1024), inter, true); err != nil {
		return nil, err
	}
	p224, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if _, err := leaf("ec224", valid("app.example.com", names, p224), inter, true); err != nil {
		return nil, err
	}
	rsaCA, _ := rsa.GenerateKey(rand.Reader, 2048)
	sha1CA, err := issue(certSpec{cn: "SHA-1 Intermediate", notBefore: t0.Add(-500 * 24 * time.Hour), notAfter: t0.Add(2000 * 24 * time.Hour), ca: true, key: rsaCA}, root)
	if err != nil {
		return nil, err
	}
	sha1Spec := valid("app.example.com", names, ec())
	sha1Spec.sigAlg = x509.ECDSAWithSHA1
	sha1Leaf, err := issue(certSpec{cn: sha1Spec.cn, dns: names, notBefore: sha1Spec.notBefore, notAfter: sha1Spec.notAfter, key: sha1Spec.key, sigAlg: x509.SHA1WithRSA}, sha1CA)
	if err != nil {
		return nil, err
	}
	out["certs/sha1.pem"], out["certs/sha1.key"] = certPEM(sha1Leaf, sha1CA), keyPEM(sha1Leaf.key)
	// A key that belongs to no certificate, the chain written backwards,
	// the key inside the certificate file, an encrypted key, garbage.
	out["certs/wrong.key"] = keyPEM(ec())
	out["certs/outoforder.pem"] = certPEM(inter, good)
	out["certs/combined.pem"] = append(certPEM(good, inter), keyPEM(goodKey)...)
	//lint:ignore SA1019 an encrypted legacy PEM key is what the rule must recognise
	block, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", mustEC(goodKey), []byte("secret"), x509.PEMCipherAES256) //nolint:staticcheck
	if err != nil {
		return nil, err
	}
	out["certs/encrypted.key"] = pem.EncodeToMemory(block)
	out["certs/garbage.pem"] = []byte("this is not a certificate\n")
	// certbot's layout: cert.pem alone, fullchain.pem, privkey.pem.
	out["certs/live/app/cert.pem"] = certPEM(good)
	out["certs/live/app/fullchain.pem"] = certPEM(good, inter)
	out["certs/live/app/privkey.pem"] = keyPEM(goodKey)
	out["certs/dh512.pem"] = dhPEM(512)
	out["certs/dh1024.pem"] = dhPEM(1024)
	out["certs/dh2048.pem"] = dhPEM(2048)
	return out, nil
}

func mustEC(k crypto.Signer) []byte {
	der, err := x509.MarshalECPrivateKey(k.(*ecdsa.PrivateKey))
	if err != nil {
		panic(err)
	}
	return der
}
