package progress

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// Unknown holds the fields of a JSON object that this build does not
// know, as they were read, so that they are written back: a newer
// dockdojo's fields (the format only ever gains fields) survive a write by
// an older one, and a learner who goes back a version loses nothing.
type Unknown map[string]json.RawMessage

// unknownOf is what of the object data the fields of T do not name.
func unknownOf[T any](data []byte) (Unknown, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	known := jsonNames(reflect.TypeFor[T]())
	var u Unknown
	for k, v := range all {
		if !known[k] {
			if u == nil {
				u = Unknown{}
			}
			u[k] = v
		}
	}
	return u, nil
}

// marshalWith is v's JSON object with the unknown fields added back.
func marshalWith(v any, u Unknown) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil || len(u) == 0 {
		return data, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	for k, raw := range u {
		if _, ok := all[k]; !ok {
			all[k] = raw
		}
	}
	return json.Marshal(all)
}

var namesCache sync.Map // reflect.Type -> map[string]bool

// jsonNames are the JSON names of a struct type's fields.
func jsonNames(t reflect.Type) map[string]bool {
	if names, ok := namesCache.Load(t); ok {
		return names.(map[string]bool)
	}
	names := map[string]bool{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
		case "":
			names[f.Name] = true
		default:
			names[name] = true
		}
	}
	namesCache.Store(t, names)
	return names
}

// decodeKeeping decodes data into v, a plain copy of a type (without its
// methods), and keeps what v's fields do not name in u.
func decodeKeeping[P any](data []byte, v *P, u *Unknown) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	var err error
	*u, err = unknownOf[P](data)
	return err
}

func (s *State) UnmarshalJSON(data []byte) error {
	type plain State
	return decodeKeeping(data, (*plain)(s), &s.Unknown)
}

func (s State) MarshalJSON() ([]byte, error) {
	type plain State
	return marshalWith(plain(s), s.Unknown)
}

func (e *Exercise) UnmarshalJSON(data []byte) error {
	type plain Exercise
	return decodeKeeping(data, (*plain)(e), &e.Unknown)
}

func (e Exercise) MarshalJSON() ([]byte, error) {
	type plain Exercise
	return marshalWith(plain(e), e.Unknown)
}

func (q *Quiz) UnmarshalJSON(data []byte) error {
	type plain Quiz
	return decodeKeeping(data, (*plain)(q), &q.Unknown)
}

func (q Quiz) MarshalJSON() ([]byte, error) {
	type plain Quiz
	return marshalWith(plain(q), q.Unknown)
}
