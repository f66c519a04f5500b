package classroom

import (
	"crypto/hmac"
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

// TokenProof proves that a learner holds token without sending it: an
// HMAC of the join code and the name they join with, keyed by what the
// classroom keeps of the token (tokenHash). A learner whose classroom
// moved to another address (the instructor's laptop got a new one on the
// room's Wi-Fi) sends it with the new join line; a classroom that knows
// the token sees that it is one of its learners, and any other learns
// nothing of the token. Bound to the code and the name, a proof that is
// replayed can only join as the name the learner chose, while that code
// holds, and gets no token.
func TokenProof(token, code, name string) string {
	key := sha256.Sum256([]byte(token))
	return proofWith(key[:], code, name)
}

func proofWith(key []byte, code, name string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("dockdojo join\x00" + NormalizeCode(code) + "\x00" + name))
	return hex.EncodeToString(mac.Sum(nil))
}

// provenBy is the learner whose token hash (hex, as kept) made proof for
// code and name.
func provenBy(hashes map[string]int64, proof, code, name string) (int64, bool) {
	want, err := hex.DecodeString(proof)
	if err != nil {
		return 0, false
	}
	for hash, id := range hashes {
		key, err := hex.DecodeString(hash)
		if err != nil {
			continue
		}
		got, _ := hex.DecodeString(proofWith(key, code, name))
		if hmac.Equal(got, want) {
			return id, true
		}
	}
	return 0, false
}
