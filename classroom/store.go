package classroom

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver: no cgo, one static binary

	"github.com/dockdojo/dockdojo/internal/regfile"
)

// The database, classroom.db in the data folder, holds:
//
//	meta(key, value)      "schema" = "4", "join_code", "instructor_key"
//	learners(id, name, name_key, token_hash, joined)
//	                      joined is when they first joined (a back
//	                      event says when they joined again; before
//	                      schema 4, joined was that latest time);
//	                      name is in Unicode's composed form (NFC; older
//	                      rows may not be, and are composed to compare);
//	                      name_key is the name's first key (nameKeys: its
//	                      skeleton in small letters; rows kept before
//	                      that have the name in small letters), unique in
//	                      a room;
//	                      token_hash is the SHA-256 of the learner's token
//	events(seq, learner, client_id, kind, exercise, at, received,
//	       check_kind, check_desc, message, checks_ok, checks_total, hint,
//	       readiness, correct, attempt)
//	                      one row per event, in the order received; times
//	                      are Unix milliseconds, at on the server's clock
//	                      (see clockSkew); (learner, client_id) is
//	                      unique, so an event posted twice is kept once;
//	                      readiness is the JSON of a readiness event's
//	                      Readiness, '' for other kinds; correct (0 or
//	                      1) and attempt are an answered event's, 0 for
//	                      other kinds; let_back and back are the
//	                      server's own events (the instructor let the
//	                      learner join again from another laptop; the
//	                      learner joined again)
//	removed(token_hash, at)
//	                      the token hashes of learners the instructor
//	                      removed, so that one who joins again is told
//	                      they were removed rather than that they left
//
// Removing a learner deletes their row and their events, and keeps their
// token's hash in removed. Schema 1 (before readiness), 2 (before
// quizzes) and 3 (when a let-back was a left event with the message "the
// instructor let them join again from another laptop") are upgraded in
// place when opened; an older dockdojo then refuses the database
// ("upgrade dockdojo") rather than show a grid without the answers or
// take let_back events for exercises.
//
// It runs in WAL mode with synchronous=NORMAL: a killed server loses nothing
// it acknowledged; a power cut may lose the last moments.
//
// classroom.lock, beside it, is locked (flock, LockFileEx on Windows) by the
// one server that uses the folder, for as long as it runs; the system lets
// go of it when the server ends, however it ends, and the empty file stays.
// Two servers on one folder would each keep their own learners in memory
// and hand out the same ids. Readers (`classroom export`) take no lock: SQLite
// lets them read beside the server.
const schemaVersion = "4"

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
	readiness    TEXT NOT NULL DEFAULT '',
	correct      INTEGER NOT NULL DEFAULT 0,
	attempt      INTEGER NOT NULL DEFAULT 0,
	UNIQUE (learner, client_id)
);
CREATE TABLE IF NOT EXISTS removed (
	token_hash TEXT PRIMARY KEY,
	at         INTEGER NOT NULL
);
`

// upgrades take a database from the schema of the key to the next.
var upgrades = map[string]string{
	"1": `ALTER TABLE events ADD COLUMN readiness TEXT NOT NULL DEFAULT ''`,
	"2": `ALTER TABLE events ADD COLUMN correct INTEGER NOT NULL DEFAULT 0;
	      ALTER TABLE events ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0`,
	"3": `UPDATE events SET kind = 'let_back', message = ''
	      WHERE kind = 'left' AND message = 'the instructor let them join again from another laptop'`,
}

// Store is the classroom's database.
type Store struct {
	db   *sql.DB
	path string
	lock *regfile.Lock // the data folder's; nil when opened to read
}

// ErrDataInUse is the error of OpenStore when another server holds the
// data folder.
var ErrDataInUse = errors.New("classroom data folder in use")

// OpenStore opens (creating) classroom.db in dir for the classroom server
// that will write it, and holds the folder's lock until Close: a folder
// another server holds is refused with ErrDataInUse.
func OpenStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("classroom data folder: %w", err)
	}
	lock := regfile.NewLock(filepath.Join(dir, "classroom.lock"), 0o644)
	switch locked, err := lock.TryLock(); {
	case err != nil:
		return nil, fmt.Errorf("lock the classroom data folder %s: %w", dir, err)
	case !locked:
		return nil, fmt.Errorf("%w: another `dockdojo classroom serve` uses %s; stop it, or serve with another --data folder", ErrDataInUse, dir)
	}
	s, err := openStore(dir)
	if err != nil {
		_ = lock.Unlock()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

// ReadStore opens classroom.db in dir to read it, whether or not a server
// runs on it (`classroom export`): it takes no lock, and writes neither
// learners nor events. At most it brings a database of an older schema to
// this one, as OpenStore does; a server of this dockdojo running on it
// already has.
func ReadStore(dir string) (*Store, error) {
	return openStore(dir)
}

func openStore(dir string) (*Store, error) {
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
	case upgrades[v] != "":
		err = s.upgrade(v)
	case v != schemaVersion:
		err = fmt.Errorf("classroom database %s has schema %s, this dockdojo knows %s: upgrade dockdojo or use another --data folder", path, v, schemaVersion)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// upgrade brings a database of an older schema to this one, one step at a
// time, each in a transaction.
func (s *Store) upgrade(from string) error {
	for v := from; v != schemaVersion; {
		step, ok := upgrades[v]
		if !ok {
			return fmt.Errorf("classroom database %s has schema %s, this dockdojo knows %s: upgrade dockdojo or use another --data folder", s.path, v, schemaVersion)
		}
		n, _ := strconv.Atoi(v)
		next := strconv.Itoa(n + 1)
		tx, err := s.db.Begin()
		if err != nil {
			return fmt.Errorf("upgrade classroom database %s: %w", s.path, err)
		}
		_, err = tx.Exec(step)
		if err == nil {
			_, err = tx.Exec(`UPDATE meta SET value = ? WHERE key = 'schema'`, next)
		}
		if err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback()
		}
		if err != nil {
			return fmt.Errorf("upgrade classroom database %s to schema %s: %w", s.path, next, err)
		}
		v = next
	}
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database and lets go of the data folder.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.lock != nil {
		err = errors.Join(err, s.lock.Unlock())
	}
	return err
}

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
		name, nameKeys(name)[0], hash, joined.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("write classroom database: %w", err)
	}
	return res.LastInsertId()
}

// LearnerBack gives a learner who left a new token and the name they join
// with; they keep the time they first joined.
func (s *Store) LearnerBack(id int64, name, hash string) error {
	_, err := s.db.Exec(`UPDATE learners SET name = ?, name_key = ?, token_hash = ? WHERE id = ?`, name, nameKeys(name)[0], hash, id)
	if err != nil {
		return fmt.Errorf("write classroom database: %w", err)
	}
	return nil
}

// RenameLearner changes a learner's name.
func (s *Store) RenameLearner(id int64, name string) error {
	_, err := s.db.Exec(`UPDATE learners SET name = ?, name_key = ? WHERE id = ?`, name, nameKeys(name)[0], id)
	if err != nil {
		return fmt.Errorf("write classroom database: %w", err)
	}
	return nil
}

// Learners lists every learner in the order they joined.
func (s *Store) Learners() ([]Learner, error) {
	return readAll(s.db, scanLearner, `SELECT id, name, token_hash, joined FROM learners ORDER BY id`)
}

func scanLearner(rows *sql.Rows) (Learner, error) {
	var l Learner
	var joined int64
	err := rows.Scan(&l.ID, &l.Name, &l.TokenHash, &joined)
	l.Joined = time.UnixMilli(joined).UTC()
	return l, err
}

// readAll runs the query q and makes a T of each row it returns with scan.
func readAll[T any](db *sql.DB, scan func(*sql.Rows) (T, error), q string, args ...any) ([]T, error) {
	rows, err := db.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("read classroom database: %w", err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("read classroom database: %w", err)
		}
		out = append(out, v)
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
		(learner, client_id, kind, exercise, at, received, check_kind, check_desc, message, checks_ok, checks_total, hint, readiness, correct, attempt)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("write classroom database: %w", err)
	}
	defer stmt.Close()
	var added []Event
	for _, e := range evs {
		ready := ""
		if e.Readiness != nil {
			b, err := json.Marshal(e.Readiness)
			if err != nil {
				return nil, err
			}
			ready = string(b)
		}
		res, err := stmt.Exec(learner, e.ID, string(e.Kind), e.Exercise, e.At.UnixMilli(), received.UnixMilli(),
			e.CheckKind, e.Check, e.Message, e.ChecksOK, e.ChecksTotal, e.Hint, ready, e.Correct, e.Attempt)
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
	return s.events(`ORDER BY seq`)
}

// LearnerEvents returns one learner's events in the order they happened.
func (s *Store) LearnerEvents(learner int64) ([]Stored, error) {
	return s.events(`WHERE learner = ? ORDER BY at, seq`, learner)
}

func (s *Store) events(where string, args ...any) ([]Stored, error) {
	return readAll(s.db, scanStored, `SELECT learner, client_id, kind, exercise, at, received,
		check_kind, check_desc, message, checks_ok, checks_total, hint, readiness, correct, attempt FROM events `+where, args...)
}

func scanStored(rows *sql.Rows) (Stored, error) {
	var st Stored
	var kind, ready string
	var at, received int64
	if err := rows.Scan(&st.Learner, &st.ID, &kind, &st.Exercise, &at, &received,
		&st.CheckKind, &st.Check, &st.Message, &st.ChecksOK, &st.ChecksTotal, &st.Hint, &ready, &st.Correct, &st.Attempt); err != nil {
		return st, err
	}
	st.Kind = Kind(kind)
	st.At, st.Received = time.UnixMilli(at).UTC(), time.UnixMilli(received).UTC()
	if ready != "" {
		st.Readiness = &Readiness{}
		if err := json.Unmarshal([]byte(ready), st.Readiness); err != nil {
			return st, fmt.Errorf("event %s: readiness: %w", st.ID, err)
		}
	}
	return st, nil
}

// DeleteLearner removes a learner and every event of theirs, and keeps
// their token's hash among the removed (see Removed).
func (s *Store) DeleteLearner(id int64, at time.Time) error {
	tx, err := s.db.Begin()
	if err != nil {
		return fmt.Errorf("write classroom database: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT OR IGNORE INTO removed (token_hash, at) SELECT token_hash, ? FROM learners WHERE id = ?`, at.UnixMilli(), id); err != nil {
		return fmt.Errorf("write classroom database: %w", err)
	}
	if _, err := tx.Exec(`DELETE FROM events WHERE learner = ?`, id); err != nil {
		return fmt.Errorf("write classroom database: %w", err)
	}
	if _, err := tx.Exec(`DELETE FROM learners WHERE id = ?`, id); err != nil {
		return fmt.Errorf("write classroom database: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("write classroom database: %w", err)
	}
	return nil
}

// Removed reports whether hash is the token hash of a learner the
// instructor removed.
func (s *Store) Removed(hash string) (bool, error) {
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM removed WHERE token_hash = ?`, hash).Scan(&n); err != nil {
		return false, fmt.Errorf("read classroom database: %w", err)
	}
	return n > 0, nil
}
