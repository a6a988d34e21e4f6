package tlsdata

import (
	"bytes"
	"crypto"
	//lint:ignore SA1019 only to recognise DSA keys and report them
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Certificate knowledge for the certificate rules. Everything goes through
// Go's crypto/x509; nothing here shells out, logs, or returns key material:
// callers get facts (algorithm, size, whether a key matches), never bytes.

// PEMBundle is what a PEM file holds, in order.
type PEMBundle struct {
	Certs     []*x509.Certificate
	Keys      []crypto.PrivateKey // decoded private keys (unencrypted)
	Encrypted int                 // private key blocks protected by a passphrase
	BadBlocks []string            // PEM blocks that failed to parse, by type
	HasPEM    bool                // at least one PEM block was found
}

// ParsePEM reads every block of a PEM file: certificates and private keys.
// Errors in single blocks are collected in BadBlocks; ParsePEM itself does
// not fail.
func ParsePEM(data []byte) PEMBundle {
	var b PEMBundle
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		b.HasPEM = true
		switch {
		case block.Type == "CERTIFICATE" || block.Type == "TRUSTED CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				b.BadBlocks = append(b.BadBlocks, block.Type)
				continue
			}
			b.Certs = append(b.Certs, c)
		case strings.HasSuffix(block.Type, "PRIVATE KEY"):
			//lint:ignore SA1019 recognising legacy encrypted PEM is all that is done
			if block.Type == "ENCRYPTED PRIVATE KEY" || x509.IsEncryptedPEMBlock(block) { //nolint:staticcheck
				b.Encrypted++
				continue
			}
			k, err := parseKey(block)
			if err != nil {
				b.BadBlocks = append(b.BadBlocks, block.Type)
				continue
			}
			b.Keys = append(b.Keys, k)
		}
	}
	return b
}

func parseKey(block *pem.Block) (crypto.PrivateKey, error) {
	switch block.Type {
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		return x509.ParseECPrivateKey(block.Bytes)
	case "PRIVATE KEY":
		return x509.ParsePKCS8PrivateKey(block.Bytes)
	}
	return nil, errors.New("unsupported private key type " + block.Type)
}

// KeyInfo describes a public key: "RSA" 2048, "ECDSA" 256, "Ed25519" 256, "DSA" 1024.
func KeyInfo(pub any) (alg string, bits int) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		return "ECDSA", k.Curve.Params().BitSize
	case ed25519.PublicKey:
		return "Ed25519", 256
	case *dsa.PublicKey:
		return "DSA", k.P.BitLen()
	}
	return "unknown", 0
}

// CurveName is the OpenSSL name of an ECDSA key's curve ("prime256v1").
func CurveName(pub any) string {
	k, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return ""
	}
	switch k.Curve.Params().Name {
	case "P-256":
		return "prime256v1"
	case "P-384":
		return "secp384r1"
	case "P-521":
		return "secp521r1"
	case "P-224":
		return "secp224r1"
	}
	return k.Curve.Params().Name
}

// KeyMatches reports whether a private key belongs to a certificate.
func KeyMatches(c *x509.Certificate, key crypto.PrivateKey) bool {
	signer, ok := key.(crypto.Signer)
	if !ok {
		return false
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, ok := signer.Public().(equaler)
	return ok && pub.Equal(c.PublicKey)
}

// SelfSigned reports whether a certificate is signed by its own key. The
// signature is checked directly, because CheckSignatureFrom refuses SHA-1
// and MD5 signatures, which are exactly the old self-signed ones.
func SelfSigned(c *x509.Certificate) bool {
	if !bytes.Equal(c.RawIssuer, c.RawSubject) {
		return false
	}
	err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature)
	return err == nil || errors.As(err, new(x509.InsecureAlgorithmError))
}

// WeakSignature names the broken hash of a certificate's signature ("MD5",
// "SHA-1", "MD2"), or returns "".
func WeakSignature(c *x509.Certificate) string {
	switch c.SignatureAlgorithm {
	case x509.MD2WithRSA:
		return "MD2"
	case x509.MD5WithRSA:
		return "MD5"
	case x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1:
		return "SHA-1"
	}
	return ""
}

// CoversName reports whether a certificate's subject alternative names
// cover a server_name. Wildcard server names (*.example.com) must be
// covered by the same wildcard, and ".example.com" by both the name and
// its wildcard. The common name is not used, as browsers no longer do.
func CoversName(c *x509.Certificate, name string) bool {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if rest, ok := strings.CutPrefix(name, "."); ok {
		return CoversName(c, rest) && CoversName(c, "*."+rest)
	}
	if strings.HasPrefix(name, "*.") {
		for _, n := range c.DNSNames {
			if strings.EqualFold(n, name) {
				return true
			}
		}
		return false
	}
	return c.VerifyHostname(name) == nil
}

// SubjectName is a short name for a certificate in messages: its first
// DNS name, else its common name.
func SubjectName(c *x509.Certificate) string {
	if len(c.DNSNames) > 0 {
		return c.DNSNames[0]
	}
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	return c.Subject.String()
}

// DHParams reads the size of the prime of a PEM "DH PARAMETERS" (PKCS #3)
// or "X9.42 DH PARAMETERS" file.
func DHParams(data []byte) (bits int, err error) {
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return 0, errors.New("no PEM \"DH PARAMETERS\" block")
		}
		if block.Type != "DH PARAMETERS" && block.Type != "X9.42 DH PARAMETERS" {
			continue
		}
		// Both are a SEQUENCE whose first element is the prime.
		var seq asn1.RawValue
		p := new(big.Int)
		if _, err := asn1.Unmarshal(block.Bytes, &seq); err != nil || seq.Tag != asn1.TagSequence {
			return 0, fmt.Errorf("the %s block is malformed", block.Type)
		}
		if _, err := asn1.Unmarshal(seq.Bytes, &p); err != nil {
			return 0, fmt.Errorf("the %s block is malformed", block.Type)
		}
		return p.BitLen(), nil
	}
}
