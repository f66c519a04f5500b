package classroom

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// codeAlphabet has the capital letters that cannot be mistaken for another
// letter or a digit when read off a projector or typed: no B (8), G (6), I
// and L (1), O and Q (0), S (5), Z (2).
const codeAlphabet = "ACDEFHJKMNPRTUVWXY"

// CodeLen is the length of a join code: 18^6 = 34 million codes, and the
// server allows a few wrong guesses a minute.
const CodeLen = 6

// NewJoinCode returns a fresh random join code.
func NewJoinCode() string {
	return randomFrom(codeAlphabet, CodeLen)
}

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	buf := make([]byte, 1)
	for i := 0; i < n; {
		_, _ = rand.Read(buf)
		// Reject the top of the byte range so each letter is as likely.
		if int(buf[0]) >= 256-256%len(alphabet) {
			continue
		}
		b[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(b)
}

// NormalizeCode is how a typed code is compared: capitals, without spaces
// or dashes ("kxr-mtp" is "KXRMTP").
func NormalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// newSecret returns 128 random bits in hex: learner tokens and the
// instructor's key.
func newSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// tokenHash is what the database keeps of a learner's token, so that a copy
// of the database does not let anyone post as a learner.
func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
