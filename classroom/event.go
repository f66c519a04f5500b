package classroom

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Kind is what a learner did.
type Kind string

// The kinds of event. The server rejects any other.
const (
	KindStarted     Kind = "started"      // dockdojo start
	KindCheckFailed Kind = "check_failed" // dockdojo check, some check still fails
	KindPassed      Kind = "passed"       // dockdojo check, every check passes
	KindHint        Kind = "hint"         // dockdojo hint
	KindSolution    Kind = "solution"     // dockdojo solution, once shown
	KindReadiness   Kind = "readiness"    // dockdojo doctor: is the laptop ready (no exercise)
	KindAnswered    Kind = "answered"     // a quiz answered in the guided flow, right or wrong
	KindLeft        Kind = "left"         // dockdojo join --leave (no exercise)

	// Made by the server, never posted by a learner (so not in Kinds).
	KindLetBack Kind = "let_back" // the instructor let them join again from another laptop
	KindBack    Kind = "back"     // they joined again after they left, or after a let_back
)

// Kinds lists every kind of event, in the order a learner meets them;
// answered and left came last, and an older classroom does not take them.
var Kinds = []Kind{KindReadiness, KindStarted, KindCheckFailed, KindPassed, KindHint, KindSolution, KindAnswered, KindLeft}

// Bounds on an event's fields. A client shortens what is longer (Clean); the
// server rejects it (Validate).
const (
	MaxCheckLen   = 200 // runes of Event.Check
	MaxMessageLen = 300 // runes of Event.Message
	MaxChecks     = 200 // Event.ChecksTotal
	MaxHint       = 100 // Event.Hint
	MaxAttempt    = 999 // Event.Attempt
	MaxNameLen    = 40  // runes of a learner's name
)

// Event is one thing a learner did, as queued on the learner's machine and
// posted to the server.
type Event struct {
	// ID is random, made by the learner's machine; the server records an
	// event once however often it is posted (a post that timed out is
	// posted again).
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Exercise is "lesson/exercise", or for answered the quiz,
	// "lesson/quiz" (a lesson's exercises and quizzes share one set of
	// ids); "" for readiness.
	Exercise string    `json:"exercise,omitempty"`
	At       time.Time `json:"at"` // when it happened, by the learner's clock; the server keeps it on its own (clockSkew)

	// For check_failed: the first failing check's kind (e.g.
	// "container_running") and description, the first line of what it
	// said, and how many of the exercise's checks pass.
	CheckKind   string `json:"check_kind,omitempty"`
	Check       string `json:"check,omitempty"`
	Message     string `json:"message,omitempty"`
	ChecksOK    int    `json:"checks_ok,omitempty"`
	ChecksTotal int    `json:"checks_total,omitempty"`

	// For hint: which hint was shown (1 is the first).
	Hint int `json:"hint,omitempty"`

	// For readiness: the laptop's doctor summary.
	Readiness *Readiness `json:"readiness,omitempty"`

	// For answered: whether the answer was right, and how many answers the
	// learner has given to the quiz with it (1 for the first), as their
	// progress file counts them. Which choices they picked is not sent.
	Correct bool `json:"correct,omitempty"`
	Attempt int  `json:"attempt,omitempty"`
}

var (
	idRE        = regexp.MustCompile(`^[0-9a-f]{16,32}$`)
	exerciseRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}/[a-z0-9][a-z0-9-]{0,63}$`)
	checkKindRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
)

// NewEventID returns a fresh random event id.
func NewEventID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// Validate reports what is wrong with an event, or nil. now is the server's
// clock: events from the future are not believed (the server clamps them),
// and events older than a month are refused.
func (e *Event) Validate(now time.Time) error {
	switch {
	case !idRE.MatchString(e.ID):
		return errors.New("id: want 16 to 32 lowercase hex digits")
	case !knownKind(e.Kind):
		return fmt.Errorf("kind %q: want one of %s", truncate(string(e.Kind), 40), kindList())
	case e.At.IsZero():
		return errors.New("at: missing")
	case e.At.Before(now.Add(-30 * 24 * time.Hour)):
		return errors.New("at: more than 30 days ago")
	}
	if e.Kind == KindLeft {
		if e.Exercise != "" || e.Readiness != nil || e.CheckKind != "" || e.Check != "" || e.Message != "" || e.ChecksOK != 0 || e.ChecksTotal != 0 || e.Hint != 0 || e.Correct || e.Attempt != 0 {
			return errors.New("a left event carries nothing but its id and time")
		}
		return nil
	}
	if e.Kind == KindReadiness {
		switch {
		case e.Exercise != "":
			return errors.New("exercise: a readiness event is about the laptop, not an exercise; leave it out")
		case e.Readiness == nil:
			return errors.New("readiness: missing")
		case e.CheckKind != "" || e.Check != "" || e.Message != "" || e.ChecksOK != 0 || e.ChecksTotal != 0 || e.Hint != 0 || e.Correct || e.Attempt != 0:
			return errors.New("a readiness event carries its readiness only")
		}
		return e.Readiness.Validate()
	}
	switch {
	case e.Readiness != nil:
		return errors.New("readiness belongs to readiness events only")
	case !exerciseRE.MatchString(e.Exercise):
		return errors.New(`exercise: want "lesson/exercise" (or "lesson/quiz"), lowercase letters, digits and dashes`)
	case e.ChecksTotal < 0 || e.ChecksTotal > MaxChecks:
		return fmt.Errorf("checks_total: want 0 to %d", MaxChecks)
	case e.ChecksOK < 0 || e.ChecksOK > e.ChecksTotal:
		return errors.New("checks_ok: want 0 to checks_total")
	case e.Hint < 0 || e.Hint > MaxHint:
		return fmt.Errorf("hint: want 0 to %d", MaxHint)
	}
	if e.Kind == KindAnswered {
		switch {
		case e.Attempt < 1 || e.Attempt > MaxAttempt:
			return fmt.Errorf("attempt: want 1 to %d", MaxAttempt)
		case e.CheckKind != "" || e.Check != "" || e.Message != "" || e.ChecksOK != 0 || e.ChecksTotal != 0 || e.Hint != 0:
			return errors.New("an answered event carries whether the answer was right and its attempt only")
		}
		return nil
	}
	if e.Correct || e.Attempt != 0 {
		return errors.New("correct and attempt belong to answered events only")
	}
	if e.Kind == KindCheckFailed {
		if !checkKindRE.MatchString(e.CheckKind) {
			return errors.New("check_kind: want lowercase letters, digits and underscores, at most 40")
		}
	} else if e.CheckKind != "" || e.Check != "" || e.Message != "" {
		return errors.New("check_kind, check and message belong to check_failed events only")
	}
	if err := textField("check", e.Check, MaxCheckLen); err != nil {
		return err
	}
	return textField("message", e.Message, MaxMessageLen)
}

// textField checks a free-text field: valid UTF-8, one line, no control
// characters, at most max runes.
func textField(name, s string, max int) error {
	switch {
	case !utf8.ValidString(s):
		return fmt.Errorf("%s: not UTF-8", name)
	case utf8.RuneCountInString(s) > max:
		return fmt.Errorf("%s: longer than %d characters", name, max)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return fmt.Errorf("%s: control characters", name)
	}
	return nil
}

// Clean makes an event fit the bounds before it is queued: the message is
// cut to its first line, control characters become spaces, and long texts
// are shortened. The learner's command must never fail because its check
// said too much.
func (e *Event) Clean() {
	e.CheckKind = truncate(e.CheckKind, 40)
	e.Check = truncate(oneLine(e.Check), MaxCheckLen)
	first, _, _ := strings.Cut(e.Message, "\n")
	e.Message = truncate(oneLine(first), MaxMessageLen)
	e.ChecksTotal = min(max(e.ChecksTotal, 0), MaxChecks)
	e.ChecksOK = min(max(e.ChecksOK, 0), e.ChecksTotal)
	e.Hint = min(max(e.Hint, 0), MaxHint)
	e.Attempt = min(max(e.Attempt, 0), MaxAttempt)
	if e.Readiness != nil {
		e.Readiness.Clean()
	}
}

func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "?")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

// truncate cuts s to at most n runes, ending in "…" when it was cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func knownKind(k Kind) bool {
	for _, known := range Kinds {
		if k == known {
			return true
		}
	}
	return false
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// nameMarks are what a name may have besides letters, digits and marks.
const nameMarks = " .-_'’"

// CleanName tidies a learner's name (spaces trimmed and collapsed, letters
// in Unicode's compatibility form, NFKC) and says what is wrong with it: 1
// to 40 letters, digits, spaces and . - _ ' ’, one letter or digit at
// least, in one alphabet. The
// compatibility form makes one name of what keyboards type two ways: "Zoë"
// with ë, and with e and a combining diaeresis, look the same and are the
// same learner's; so are a fullwidth "Ａda" and "Ada". A name may not mix
// Latin, Greek and Cyrillic letters, whose capitals look alike: "Аda" with
// a Cyrillic А would sit on the dashboard beside Ada's as if it were hers
// (nameKeys tells names in one alphabet that look like another's).
func CleanName(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", errors.New("the name is not UTF-8")
	}
	name = strings.Join(strings.Fields(norm.NFKC.String(name)), " ")
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "", errors.New("the name is empty")
	case n > MaxNameLen:
		return "", fmt.Errorf("the name is longer than %d characters", MaxNameLen)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && !strings.ContainsRune(nameMarks, r) {
			return "", fmt.Errorf("the name has %q; use letters, digits, spaces and . - _ '", r)
		}
	}
	if !strings.ContainsFunc(name, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return "", errors.New("the name has no letter or digit; use letters or digits, with spaces and . - _ ' between them")
	}
	if a, b := alikeAlphabets(name); a != "" {
		return "", fmt.Errorf("the name mixes %s and %s letters, which look alike (Latin A, Greek Α, Cyrillic А); write it in one alphabet", a, b)
	}
	return name, nil
}

// alikeAlphabets names the first two of Latin, Greek and Cyrillic whose
// letters name mixes, or "" when it holds letters of one of them at most
// (other scripts mix freely: Han with Hiragana, Hangul with Latin).
func alikeAlphabets(name string) (string, string) {
	alphabets := []struct {
		name  string
		table *unicode.RangeTable
	}{{"Latin", unicode.Latin}, {"Greek", unicode.Greek}, {"Cyrillic", unicode.Cyrillic}}
	first := ""
	for _, r := range name {
		for _, a := range alphabets {
			switch {
			case !unicode.Is(a.table, r):
			case first == "":
				first = a.name
			case first != a.name:
				return first, a.name
			}
		}
	}
	return "", ""
}

// nameKeys are what two names must not share in one classroom: names
// that look the same, whatever their case, Unicode form (names kept
// before CleanName folded them may not be) or alphabet: "Веа" in Cyrillic
// letters and "Bea" in Latin ones, "AI" and "Al", "Mary" and "mary",
// "Straße" and "STRASSE". A
// name's skeleton, as Unicode's confusable detection (UTS #39) makes it,
// tells letters that look alike; it tells them as written, capitals
// apart from small letters (Cyrillic В looks like B, в not like b), so
// there are two keys: the skeleton of the name in small letters, and the
// skeleton of the name as written, in small letters. The first is the one
// the database keeps. The punctuation a name may have (. - _ ' ’) and
// spaces before or after its letters are no part of its keys: "Ada." and
// "'Ada'" beside "Ada" are two rows that look alike; within a name they
// tell names apart ("Mary-Ann" and "Maryann").
func nameKeys(name string) []string {
	name = strings.Trim(norm.NFKC.String(name), nameMarks)
	skeleton := func(s string) string { return norm.NFC.String(confusables.Skeleton(s)) }
	fold := cases.Fold() // small letters, and ß as ss
	small, written := skeleton(fold.String(name)), fold.String(skeleton(name))
	if small == written {
		return []string{small}
	}
	return []string{small, written}
}
