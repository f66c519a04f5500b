package classroom

import (
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func validEvent() Event {
	return Event{ID: "0123456789abcdef", Kind: KindCheckFailed, Exercise: "first-run/publish-page", At: testNow.Add(-time.Minute),
		CheckKind: "container_running", Check: "container dojo-web is running", Message: "no container dojo-web",
		ChecksOK: 1, ChecksTotal: 4}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Event)
		want   string // part of the error; "" for valid
	}{
		{"valid check_failed", func(e *Event) {}, ""},
		{"valid started", func(e *Event) { *e = Event{ID: e.ID, Kind: KindStarted, Exercise: e.Exercise, At: e.At} }, ""},
		{"valid hint", func(e *Event) { *e = Event{ID: e.ID, Kind: KindHint, Exercise: e.Exercise, At: e.At, Hint: 3} }, ""},
		{"valid readiness", func(e *Event) {
			*e = Event{ID: e.ID, Kind: KindReadiness, At: e.At, Readiness: &Readiness{Engine: true, EngineVersion: "28.5.1", ImagesMissing: 1, MissingImages: []string{"docker.io/library/httpd:2.4@sha256:abc"}}}
		}, ""},
		{"readiness without report", func(e *Event) { *e = Event{ID: e.ID, Kind: KindReadiness, At: e.At} }, "readiness: missing"},
		{"readiness with a check", func(e *Event) {
			*e = Event{ID: e.ID, Kind: KindReadiness, At: e.At, Readiness: &Readiness{}, Check: "x"}
		}, "readiness only"},
		{"readiness too many names", func(e *Event) {
			*e = Event{ID: e.ID, Kind: KindReadiness, At: e.At, Readiness: &Readiness{ImagesMissing: 100, MissingImages: make([]string, MaxMissingImages+1)}}
		}, "at most 50"},
		{"readiness names more than it counts", func(e *Event) {
			*e = Event{ID: e.ID, Kind: KindReadiness, At: e.At, Readiness: &Readiness{ImagesMissing: 0, MissingImages: []string{"a:1"}}}
		}, "more images"},
		{"readiness version with escape", func(e *Event) {
			*e = Event{ID: e.ID, Kind: KindReadiness, At: e.At, Readiness: &Readiness{Version: "\x1b[31m"}}
		}, "control"},
		{"future is valid (clamped later)", func(e *Event) { e.At = testNow.Add(time.Hour) }, ""},
		{"unicode message", func(e *Event) { e.Message = "port 8080 n'est pas publié — trouvé 80/tcp" }, ""},
		{"short id", func(e *Event) { e.ID = "abc" }, "id:"},
		{"uppercase id", func(e *Event) { e.ID = "0123456789ABCDEF" }, "id:"},
		{"unknown kind", func(e *Event) { e.Kind = "rm_rf" }, "kind"},
		{"empty kind", func(e *Event) { e.Kind = "" }, "kind"},
		{"exercise without lesson", func(e *Event) { e.Exercise = "publish-page" }, "exercise"},
		{"exercise with path", func(e *Event) { e.Exercise = "../etc/passwd" }, "exercise"},
		{"exercise too long", func(e *Event) { e.Exercise = "a/" + strings.Repeat("b", 65) }, "exercise"},
		{"exercise with markup", func(e *Event) { e.Exercise = "a/<script>" }, "exercise"},
		{"no time", func(e *Event) { e.At = time.Time{} }, "at: missing"},
		{"too old", func(e *Event) { e.At = testNow.Add(-31 * 24 * time.Hour) }, "30 days"},
		{"too many checks", func(e *Event) { e.ChecksTotal = MaxChecks + 1 }, "checks_total"},
		{"negative checks", func(e *Event) { e.ChecksTotal = -1 }, "checks_total"},
		{"ok above total", func(e *Event) { e.ChecksOK = 5 }, "checks_ok"},
		{"hint too big", func(e *Event) { e.Kind, e.CheckKind, e.Check, e.Message, e.Hint = KindHint, "", "", "", MaxHint+1 }, "hint"},
		{"check on a hint", func(e *Event) { e.Kind = KindHint }, "check_failed events only"},
		{"bad check kind", func(e *Event) { e.CheckKind = "Container Running" }, "check_kind"},
		{"missing check kind", func(e *Event) { e.CheckKind = "" }, "check_kind"},
		{"check too long", func(e *Event) { e.Check = strings.Repeat("x", MaxCheckLen+1) }, "check: longer"},
		{"message too long", func(e *Event) { e.Message = strings.Repeat("é", MaxMessageLen+1) }, "message: longer"},
		{"message with newline", func(e *Event) { e.Message = "a\nb" }, "control"},
		{"message with escape", func(e *Event) { e.Message = "\x1b[31mred" }, "control"},
		{"message not utf-8", func(e *Event) { e.Message = "\xff\xfe" }, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEvent()
			tt.change(&e)
			err := e.Validate(testNow)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("want valid, got %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("want an error with %q, got none", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("want an error with %q, got %v", tt.want, err)
			}
		})
	}
}

// TestCleanMakesValid: whatever a check says, the cleaned event is valid,
// so a learner's events are never refused for their content.
func TestCleanMakesValid(t *testing.T) {
	e := validEvent()
	e.Check = strings.Repeat("container \x00 ", 100)
	e.Message = "first line \x1b[1mbold\x1b[0m\nsecond line\n" + strings.Repeat("ü", 1000)
	e.ChecksOK, e.ChecksTotal = 900, 500
	e.Clean()
	if err := e.Validate(testNow); err != nil {
		t.Fatalf("cleaned event is invalid: %v", err)
	}
	if strings.Contains(e.Message, "second line") {
		t.Errorf("message kept more than its first line: %q", e.Message)
	}
	if got := []rune(e.Check); len(got) != MaxCheckLen || got[len(got)-1] != '…' {
		t.Errorf("check not shortened to %d runes ending in …: %d runes", MaxCheckLen, len(got))
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"  Ada   Lovelace ", "Ada Lovelace", ""},
		{"José-María O'Neil", "José-María O'Neil", ""},
		{"李雷", "李雷", ""},
		{"Zoe\u0308 combining", "Zo\u00eb combining", ""},
		{"Zo\u00eb precomposed", "Zo\u00eb precomposed", ""},
		{"\uff21da fullwidth", "Ada fullwidth", ""},
		{"O\u2019Brien", "O\u2019Brien", ""}, // a typographic apostrophe
		{"...", "", "no letter or digit"},
		{"'", "", "no letter or digit"},
		{"\u0410da", "", "mixes Cyrillic and Latin"},                      // a Cyrillic capital A
		{"Ad\u03b1 Lovelace", "", "mixes Latin and Greek"},                // a Greek small alpha
		{"Ivan \u0418\u0432\u0430\u043d\u043e\u0432", "", "one alphabet"}, // Latin and Cyrillic words
		{"\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432", "\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432", ""},
		{"\u0395\u03bb\u03ad\u03bd\u03b7", "\u0395\u03bb\u03ad\u03bd\u03b7", ""},
		{"\u5c71\u7530 Taro", "\u5c71\u7530 Taro", ""},
		{"\u3084\u307e\u3060 \u592a\u90ce", "\u3084\u307e\u3060 \u592a\u90ce", ""},
		{"a\xffb", "", "not UTF-8"},
		{"", "", "empty"},
		{"   ", "", "empty"},
		{strings.Repeat("a", MaxNameLen+1), "", "longer"},
		{"<b>x</b>", "", "use letters"},
		{"a\x00b", "", "use letters"},
		{"=cmd|' /C calc'!A0", "", "use letters"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := CleanName(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("CleanName(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("CleanName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestJoinCode(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		c := NewJoinCode()
		if len(c) != CodeLen || strings.Trim(c, codeAlphabet) != "" {
			t.Fatalf("code %q: want %d letters of %s", c, CodeLen, codeAlphabet)
		}
		seen[c] = true
	}
	if len(seen) < 190 {
		t.Errorf("only %d different codes in 200", len(seen))
	}
	if got := NormalizeCode(" kxr-mtp "); got != "KXRMTP" {
		t.Errorf("NormalizeCode = %q, want KXRMTP", got)
	}
}
