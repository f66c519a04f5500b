package progress

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A progress file is read part by part, so that what cannot be read is
// said in the learner's words: where it is (the exercise and its field, or
// the line and column) and what was expected there, never the types of
// the program that read it.
//
// One exercise's or quiz's entry that cannot be read (a "passed" that is
// no time, a count that is no number) is left out alone: the rest of the
// learner's progress stands, and the file as it was is kept aside to get
// that entry back from. The fields of an entry are read together or not
// at all, as they mean something only together. A file that is no progress
// file as a whole (not JSON, not an object, no version, "exercises" not an
// object of exercises) is set aside whole.

// badEntry is an exercise's or a quiz's entry that could not be read.
type badEntry struct {
	kind, key string // "exercise", "first-run/publish-page"
	problem   string // `its field "passed" is "x", not a time such as …`
}

func (b badEntry) String() string { return fmt.Sprintf("%s %q: %s", b.kind, b.key, b.problem) }

// decode reads the progress file data. A file that is not a progress file
// as a whole is a corruptError; the entries that cannot be read are left
// out of the state and returned in bad.
func decode(path string, data []byte) (s *State, bad []badEntry, err error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, nil, corruptError{why: notAnObject(data, err)}
	}
	rawVersion, ok := top["version"]
	if !ok || isNull(rawVersion) {
		return nil, nil, corruptError{why: `it has no "version"`}
	}
	var version int
	if err := json.Unmarshal(rawVersion, &version); err != nil || version < 1 {
		return nil, nil, corruptError{why: fmt.Sprintf(`its "version" is %s, not a whole number from 1 up`, found(rawVersion))}
	}
	if version > Version {
		return nil, nil, &NewerError{Path: path, Version: version}
	}
	s = &State{Version: version}
	if s.Exercises, bad, err = entries[Exercise](top, "exercises", "exercise", bad); err != nil {
		return nil, nil, err
	}
	if s.Quizzes, bad, err = entries[Quiz](top, "quizzes", "quiz", bad); err != nil {
		return nil, nil, err
	}
	s.Unknown, err = unknownOf[State](bytes.TrimSpace(data))
	return s, bad, err
}

// entries reads the object of entries top[field], each keyed by
// "lesson/id"; an entry that cannot be read is left out and added to bad.
func entries[T any](top map[string]json.RawMessage, field, kind string, bad []badEntry) (map[string]*T, []badEntry, error) {
	out := map[string]*T{}
	raw, ok := top[field]
	if !ok || isNull(raw) {
		return out, bad, nil
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, nil, corruptError{why: fmt.Sprintf(`its %q is %s, not an object of %s entries ({"LESSON/ID": {…}})`, field, found(raw), kind)}
	}
	for _, key := range slices.Sorted(maps.Keys(all)) {
		if isNull(all[key]) {
			continue // a hand-edited null reads as nothing
		}
		v := new(T)
		if err := json.Unmarshal(all[key], v); err != nil {
			bad = append(bad, badEntry{kind, key, fieldProblem[T](all[key])})
			continue
		}
		out[key] = v
	}
	return out, bad, nil
}

// fieldProblem says what in the entry raw, of type T, cannot be read: the
// first of its fields that does not hold what it should.
func fieldProblem[T any](raw json.RawMessage) string {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return fmt.Sprintf("it is %s, not an object of fields ({…})", found(raw))
	}
	for f := range reflect.TypeFor[T]().Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		v, ok := fields[name]
		if name == "-" || !ok {
			continue
		}
		if err := json.Unmarshal(v, reflect.New(f.Type).Interface()); err != nil {
			return fmt.Sprintf("its field %q is %s, not %s", name, found(v), expected(f.Type))
		}
	}
	return "it cannot be read"
}

// expected names what a field of type t holds, as a learner reads it.
func expected(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[time.Time]():
		return `a time such as "2026-11-27T10:00:00Z"`
	case t.Kind() == reflect.Int:
		return "a whole number"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.String:
		return "a string in quotes"
	}
	return "what dockdojo writes there"
}

// found names the JSON value raw as a learner reads it: a short value as
// it is, a list or an object by what it is.
func found(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case '[':
		return "a list"
	case '{':
		return "an object"
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil && len(s) > 40 {
			return strconv.Quote(s[:40] + "…")
		}
	}
	if len(raw) > 40 {
		return string(raw[:40]) + "…"
	}
	return string(raw)
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// notAnObject says why data is not a JSON object, and where.
func notAnObject(data []byte, err error) string {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		line, col := lineCol(data, syntax.Offset)
		return fmt.Sprintf("it is not JSON from line %d, column %d: %v", line, col, err)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		what := map[string]string{"array": "a list", "string": "a string", "number": "a number", "bool": "true or false"}[typ.Value]
		if what == "" {
			what = typ.Value
		}
		return fmt.Sprintf(`it is %s, not an object ({"version": 1, "exercises": {…}})`, what)
	}
	return err.Error()
}

// lineCol is the line and column (from 1, in bytes) of offset in data: a
// syntax error's offset is just past the byte at fault.
func lineCol(data []byte, offset int64) (line, col int) {
	offset = min(max(offset-1, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
