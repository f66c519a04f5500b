package classroom

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver: no cgo, one static binary
)

// The database, classroom.db in the data folder, holds:
//
//	meta(key, value)      "schema" = "1", "join_code", "instructor_key"
//	learners(id, name, name_key, token_hash, joined)
//	                      name_key is the lowercased name (unique in a room);
//	                      token_hash is the SHA-256 of the learner's token
//	events(seq, learner, client_id, kind, exercise, at, received,
//	       check_kind, check_desc, message, checks_ok, checks_total, hint)
//	                      one row per event, in the order received; times
//	                      are Unix milliseconds; (learner, client_id) is
//	                      unique, so an event posted twice is kept once
//
// It runs in WAL mode with synchronous=NORMAL: a killed server loses nothing
// it acknowledged; a power cut may lose the last moments.
const schemaVersion = "1"

const schema = `
CREATE TABLE IF NOT EXISTS meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS learners (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	name_key   TEXT NOT NULL UNIQUE,
	token_hash TEXT NOT NULL UNIQUE,
	joined     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
	seq          INTEGER PRIMARY KEY,
	learner      INTEGER NOT NULL REFERENCES learners(id),
	client_id    TEXT NOT NULL,
	kind         TEXT NOT NULL,
	exercise     TEXT NOT NULL,
	at           INTEGER NOT NULL,
	received     INTEGER NOT NULL,
	check_kind   TEXT NOT NULL DEFAULT '',
	check_desc   TEXT NOT NULL DEFAULT '',
	message      TEXT NOT NULL DEFAULT '',
	checks_ok    INTEGER NOT NULL DEFAULT 0,
	checks_total INTEGER NOT NULL DEFAULT 0,
	hint         INTEGER NOT NULL DEFAULT 0,
	UNIQUE (learner, client_id)
);
`

// Store is the classroom's database.
type Store struct {
	db   *sql.DB
	path string
}

// OpenStore opens (creating) classroom.db in dir.
func OpenStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("classroom data folder: %w", err)
	}
	path := filepath.Join(dir, "classroom.db")
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(5000)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open classroom database %s: %w", path, err)
	}
	// One connection: writes are serialised anyway, and it keeps the pragmas
	// and transactions simple.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open classroom database %s: %w", path, err)
	}
	v, ok, err := s.Meta("schema")
	switch {
	case err != nil:
		db.Close()
		return nil, err
	case !ok:
		err = s.SetMeta("schema", schemaVersion)
	case v != schemaVersion:
		err = fmt.Errorf("classroom database %s has schema %s, this dockdojo knows %s: upgrade dockdojo or use another --data folder", path, v, schemaVersion)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Meta returns a value of the meta table.
func (s *Store) Meta(key string) (string, bool, error) {
	var v string
	err := s.db.QueryRow(`SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read classroom database: %w", err)
	}
	return v, true, nil
}

// SetMeta sets a value of the meta table.
func (s *Store) SetMeta(key, value string) error {
	_, err := s.db.Exec(`INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("write classroom database: %w", err)
	}
	return nil
}

// Learner is one row of the learners table.
type Learner struct {
	ID        int64
	Name      string
	TokenHash string
	Joined    time.Time
}

// AddLearner records a learner and returns its id.
func (s *Store) AddLearner(name, hash string, joined time.Time) (int64, error) {
	res, err := s.db.Exec(`INSERT INTO learners(name, name_key, token_hash, joined) VALUES(?, ?, ?, ?)`,
		name, nameKey(name), hash, joined.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("write classroom database: %w", err)
	}
	return res.LastInsertId()
}

// RenameLearner changes a learner's name.
func (s *Store) RenameLearner(id int64, name string) error {
	_, err := s.db.Exec(`UPDATE learners SET name = ?, name_key = ? WHERE id = ?`, name, nameKey(name), id)
	if err != nil {
		return fmt.Errorf("write classroom database: %w", err)
	}
	return nil
}

// Learners lists every learner in the order they joined.
func (s *Store) Learners() ([]Learner, error) {
	rows, err := s.db.Query(`SELECT id, name, token_hash, joined FROM learners ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read classroom database: %w", err)
	}
	defer rows.Close()
	var out []Learner
	for rows.Next() {
		var l Learner
		var joined int64
		if err := rows.Scan(&l.ID, &l.Name, &l.TokenHash, &joined); err != nil {
			return nil, fmt.Errorf("read classroom database: %w", err)
		}
		l.Joined = time.UnixMilli(joined).UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}

// Stored is an event as the server keeps it: whose, and when it arrived.
type Stored struct {
	Learner  int64
	Received time.Time
	Event
}

// AddEvents records a learner's events in one transaction and returns those
// that were new (an event id already recorded for the learner is skipped).
func (s *Store) AddEvents(learner int64, evs []Event, received time.Time) ([]Event, error) {
	tx, err := s.db.Begin()
	if err != nil {
		return nil, fmt.Errorf("write classroom database: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(`INSERT OR IGNORE INTO events
		(learner, client_id, kind, exercise, at, received, check_kind, check_desc, message, checks_ok, checks_total, hint)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("write classroom database: %w", err)
	}
	defer stmt.Close()
	var added []Event
	for _, e := range evs {
		res, err := stmt.Exec(learner, e.ID, string(e.Kind), e.Exercise, e.At.UnixMilli(), received.UnixMilli(),
			e.CheckKind, e.Check, e.Message, e.ChecksOK, e.ChecksTotal, e.Hint)
		if err != nil {
			return nil, fmt.Errorf("write classroom database: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			added = append(added, e)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("write classroom database: %w", err)
	}
	return added, nil
}

// Events returns every event in the order received.
func (s *Store) Events() ([]Stored, error) {
	rows, err := s.db.Query(`SELECT learner, client_id, kind, exercise, at, received,
		check_kind, check_desc, message, checks_ok, checks_total, hint FROM events ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("read classroom database: %w", err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		var st Stored
		var kind string
		var at, received int64
		if err := rows.Scan(&st.Learner, &st.ID, &kind, &st.Exercise, &at, &received,
			&st.CheckKind, &st.Check, &st.Message, &st.ChecksOK, &st.ChecksTotal, &st.Hint); err != nil {
			return nil, fmt.Errorf("read classroom database: %w", err)
		}
		st.Kind = Kind(kind)
		st.At, st.Received = time.UnixMilli(at).UTC(), time.UnixMilli(received).UTC()
		out = append(out, st)
	}
	return out, rows.Err()
}
