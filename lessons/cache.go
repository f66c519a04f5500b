package lessons

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/internal/regfile"
)

// The course cache keeps the lessons a learner's commands parsed, so that
// the next command does not parse and validate the whole course again
// (YAML decoding is most of a load). It is one file a set of sources, in
// dir (by default $XDG_CACHE_HOME/dockdojo):
//
//	course-HASH.cache   HASH names the sources (their names, in order)
//
// The file is a sequence of records, each the length of its payload (a
// uvarint), the CRC-32C (Castagnoli) of the payload (4 bytes, big-endian),
// and the payload: first a cacheHeader in CBOR, then one record a lesson,
// whose payload is the lesson's key (32 bytes) and its cachedLesson in
// CBOR. A load indexes the file by key, reading no lesson, then decodes the
// lessons its files need (see LoadCached); a new file is written to a
// temporary file renamed over the old one. A file unused for 30 days is
// removed when another is written (reading one touches it, once a day).
//
// Why it never serves a stale lesson:
//   - each lesson is found by the SHA-256 of its file's bytes, its file name
//     and folder: an edited file has another key, and is parsed again on
//     the very next command;
//   - the header names the dockdojo executable that wrote it (path, size,
//     modification time), so another build, with another parser, starts
//     afresh;
//   - only lessons that parsed without a mistake are kept, and the starter
//     files beside a lesson are checked on every load, cached or not;
//   - the index ends at a record cut short; a lesson whose record fails its
//     checksum or does not decode is parsed again, and the file is written
//     anew.
//
// CBOR (not gob) because it keeps what gob loses: a pointer to a zero value
// (exit_code: 0 is not "any exit code") and an empty list that is not nil.
//
// lint and selftest do not use it: they always read and parse every file.
// So it keeps neither the lessons' prose (LoadProse reads it from the file
// when it is shown) nor their wrong attempts, which only lint and selftest
// read: a lesson from LoadCached has none, cold or warm, and the course of
// 1,000 lessons fits in less memory (P6 of docs/performance.md).
const cacheVersion = 6

// cacheHeader opens a cache file.
type cacheHeader struct {
	Version int
	Build   string // the executable that wrote the file
}

// cachedLesson is one lesson in the cache: the Lesson without what cannot
// or need not be encoded (its fs.FS, the pointers back to it, the parts
// that point at its exercises and quizzes, each check's Spec, which is kept
// by its kind), and its unexported positions.
type cachedLesson struct {
	Lesson       *Lesson
	Parts        []cachedPart
	Specs        [][]cachedSpec // per exercise, per check
	IDPos        Pos
	PrereqPos    []Pos
	WorkspacePos [][]Pos // per exercise
	CheckPos     [][]Pos // per exercise
	ContinuesPos []Pos   // per exercise
	Named        [][]namedObject
	OwnsPos      []map[string][]Pos
	NetworkPos   []Pos
	MountPos     [][]Pos       // per exercise
	Scripts      []*cachedScan // per exercise
}

// cachedScan is an exercise's imageScan of its lesson file.
type cachedScan struct {
	Used, Built []string
}

// cachedPart is a Part, with its exercise or quiz as an index into the
// lesson's Exercises or Quizzes (-1 for none, a part of prose). The prose
// itself is not kept: most commands never show it, and it is the largest
// part of the cache (Lesson.LoadProse reads it when it is shown).
type cachedPart struct {
	Exercise, Quiz int
}

// cachedSpec is a check's Spec: its kind's fields.
type cachedSpec struct {
	Kind   string
	Fields cbor.RawMessage
}

// LoadCached is Load with the course cache in dir: lessons whose files have
// not changed since a command parsed them are taken from the cache, the
// rest are parsed and added to it. What it returns is what Load returns for
// the same files, but that its lessons' prose is read when it is shown
// (Lesson.LoadProse) and that they hold no wrong attempts (Exercise.Wrong:
// lint and selftest, which run them, load with Load). Mistakes are never
// cached, so they are reported anew on every load. A cache that cannot be
// read or written is done without; the lessons are the same either way.
//
// It goes in two passes. The first finds each lesson file's record: it
// hashes the file and looks the key up in the cache file's index, and
// parses a lesson it does not find straight into a new cache file, keeping
// nothing. The second, the load itself, decodes every lesson from its
// record. A course parsed and kept lesson by lesson peaked at about twice
// its size (the collector's goal while parsing makes garbage many times
// what it keeps); this way a cold load, or one after an edit of every
// lesson, holds no more than a warm one, and a record the files no longer
// need is never decoded.
func LoadCached(dir string, sources ...Source) (*Course, error) {
	build, ok := executableBuild()
	if !ok || dir == "" {
		return load(sources, leavingOut(ParseFile))
	}
	c := openCache(filepath.Join(dir, cacheFileName(sources)), build)
	defer c.closeOld()
	files, walkErrs := lessonFiles(sources)
	c.find(sources, files)
	course, err := loadFiles(sources, files, walkErrs, c.parseFile)
	c.save()
	return course, err
}

// courseCache is one load through the cache.
type courseCache struct {
	file  string
	build string
	// old is the cache file as it was, and index its lessons by key; both
	// are read-only once open.
	old   *os.File
	index map[[sha256.Size]byte]span
	bufs  sync.Pool // of *[]byte, to hash files through

	mu sync.Mutex
	// w is the new cache file, made when a lesson is parsed anew.
	w *recordWriter
	// found is what the first pass found, by the lesson's display name.
	found map[string]*found
}

// span is where a lesson's record lies in a cache file: its payload (the
// key, then the lesson in CBOR) and the payload's checksum.
type span struct {
	file *os.File
	off  int64
	n    int
	crc  uint32
}

// found is what the first pass found for one lesson file: its record, or
// the lesson parsed with its mistakes (never cached), or why the file
// could not be read.
type found struct {
	key     [sha256.Size]byte
	at      span
	parsed  *Lesson
	errs    ErrorList
	problem string
}

// cacheFileName names the cache file of these sources.
func cacheFileName(sources []Source) string {
	h := sha256.New()
	for _, src := range sources {
		fmt.Fprintf(h, "%q\n", src.Name)
	}
	return fmt.Sprintf("course-%x.cache", h.Sum(nil)[:8])
}

// executableBuild names the running executable by path, size and
// modification time: a rebuilt dockdojo does not trust an older cache.
func executableBuild() (string, bool) {
	exe, err := os.Executable()
	if err != nil {
		return "", false
	}
	st, err := os.Stat(exe)
	if err != nil {
		return "", false
	}
	return fmt.Sprintf("%s %d %d", exe, st.Size(), st.ModTime().UnixNano()), true
}

// openCache opens the cache file and indexes its lessons, as far as it can
// be read: a file that is missing, of another version or build, or
// damaged from the start has none.
func openCache(file, build string) *courseCache {
	c := &courseCache{
		file:  file,
		build: build,
		index: map[[sha256.Size]byte]span{},
		bufs:  sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }},
		found: map[string]*found{},
	}
	f, err := regfile.Open(file) // a pipe there is no cache, not a wait
	if err != nil {
		return c
	}
	if info, err := f.Stat(); err == nil && time.Since(info.ModTime()) > 24*time.Hour {
		now := time.Now()
		os.Chtimes(file, now, now) // used today: not pruned
	}
	r := bufio.NewReaderSize(f, 64<<10)
	var hdr cacheHeader
	pos, ok := nextRecord(r, &hdr)
	if !ok || hdr.Version != cacheVersion || hdr.Build != build {
		f.Close()
		return c
	}
	c.old = f
	// Each lesson's record: its length, checksum and key are read, the
	// rest is passed over; the checksum is checked when it is decoded.
	for {
		n, err := binary.ReadUvarint(r)
		if err != nil || n < sha256.Size || n > MaxFileSize*4 {
			return c
		}
		var head [4 + sha256.Size]byte
		if _, err := io.ReadFull(r, head[:]); err != nil {
			return c
		}
		at := span{file: f, off: pos + int64(uvarintLen(n)) + 4, n: int(n), crc: binary.BigEndian.Uint32(head[:4])}
		if _, err := r.Discard(int(n) - sha256.Size); err != nil {
			return c
		}
		c.index[[sha256.Size]byte(head[4:])] = at
		pos = at.off + int64(n)
	}
}

// closeOld closes the old cache file, once the load is over.
func (c *courseCache) closeOld() {
	if c.old != nil {
		c.old.Close()
		c.old = nil
	}
}

// find is the first pass: every lesson file's record, each file hashed and
// looked up, a lesson not in the cache parsed into the new file, side by
// side as load parses.
func (c *courseCache) find(sources []Source, files [][]string) {
	var jobs []func()
	for i, src := range sources {
		for _, name := range files[i] {
			display := path.Join(src.Name, name)
			fd := &found{}
			c.found[display] = fd
			jobs = append(jobs, func() { c.findFile(fd, src.FS, name, display) })
		}
	}
	runAll(jobs)
	c.w.flush() // the load reads what was written
}

// findFile finds one lesson file's record.
func (c *courseCache) findFile(fd *found, fsys fs.FS, name, display string) {
	h := lessonHash(display, name)
	buf := c.bufs.Get().(*[]byte)
	fd.problem = copyLesson(bufferedWriter{h, *buf}, fsys, name)
	c.bufs.Put(buf)
	if fd.problem != "" {
		return
	}
	h.Sum(fd.key[:0])
	if at, ok := c.index[fd.key]; ok {
		fd.at = at
		return
	}
	c.parseInto(fd, fsys, name, display)
}

// parseInto parses a lesson file into the new cache file; a lesson with
// mistakes, or one the file could not take, is kept parsed instead.
func (c *courseCache) parseInto(fd *found, fsys fs.FS, name, display string) {
	src, problem := readLesson(fsys, name)
	if problem != "" {
		fd.problem = problem
		return
	}
	l, errs := parse(src, display)
	if len(errs) == 0 && !l.notLesson { // a record holds a lesson
		// The key of what was parsed: the file may have changed since it
		// was hashed.
		h := lessonHash(display, name)
		h.Write(src)
		h.Sum(fd.key[:0])
		if e, err := toCache(l); err == nil {
			if at, err := c.writer().putLesson(fd.key, e); err == nil {
				fd.at = at
				return
			}
		}
	}
	fd.parsed, fd.errs = l, errs
}

// writer is the new cache file, started on first use. One that cannot be
// made holds why, and takes no record: the lessons are then kept parsed.
func (c *courseCache) writer() *recordWriter {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.w == nil {
		w, err := newRecordWriter(c.file, c.build)
		if err != nil {
			w = &recordWriter{err: err}
		}
		c.w = w
	}
	return c.w
}

// parseFile is the second pass, standing in for ParseFile: the lesson from
// its record, or as the first pass parsed it.
func (c *courseCache) parseFile(fsys fs.FS, name, display string) (*Lesson, error) {
	fd := c.found[display]
	if fd == nil { // a file that came since the first pass
		return leavingOut(ParseFile)(fsys, name, display)
	}
	l, err := c.lessonOf(fd, fsys, name, display)
	if l == nil && err == nil {
		return leavingOut(ParseFile)(fsys, name, display)
	}
	return l, err
}

// lessonOf is the lesson the first pass found; nil and nil when its record
// cannot be read even after parsing the file anew.
func (c *courseCache) lessonOf(fd *found, fsys fs.FS, name, display string) (*Lesson, error) {
	for retry := true; ; retry = false {
		switch {
		case fd.problem != "":
			return nil, ErrorList{{Pos: Pos{File: display, Line: 1}, Msg: fd.problem}}
		case fd.parsed != nil:
			return leavingOut(func(fs.FS, string, string) (*Lesson, error) {
				return placed(fd.parsed, fd.errs, fsys, name)
			})(fsys, name, display)
		}
		if l, err := fd.at.lesson(); err == nil {
			return placed(l, nil, fsys, name)
		}
		if !retry {
			return nil, nil
		}
		// A record that does not read (damaged in the file): the file is
		// parsed into the new cache file, as a lesson not found.
		fd.at = span{}
		c.parseInto(fd, fsys, name, display)
		c.writer().flush()
	}
}

// payloads are buffers to read records through: a lesson decodes into
// values of its own.
var payloads = sync.Pool{New: func() any { return new([]byte) }}

// lesson decodes the lesson of a record.
func (at span) lesson() (*Lesson, error) {
	if at.file == nil {
		return nil, errors.New("no record")
	}
	buf := payloads.Get().(*[]byte)
	defer payloads.Put(buf)
	if cap(*buf) < at.n {
		*buf = make([]byte, at.n)
	}
	payload := (*buf)[:at.n]
	if _, err := at.file.ReadAt(payload, at.off); err != nil {
		return nil, err
	}
	if crc32.Checksum(payload, castagnoli) != at.crc {
		return nil, errors.New("the record's checksum does not match")
	}
	e := &cachedLesson{}
	if err := cbor.Unmarshal(payload[sha256.Size:], e); err != nil {
		return nil, err
	}
	if e.Lesson == nil {
		return nil, errors.New("an empty record")
	}
	return e.lesson()
}

// save puts the new cache file in place when the old one is not this
// load's lessons exactly: one was parsed anew, or the old file holds
// lessons the files no longer need. The records taken from the old file
// are copied as they are. It fails silently: the cache only saves time.
func (c *courseCache) save() {
	used := map[[sha256.Size]byte]bool{}
	var fromOld []span
	for _, fd := range c.found {
		if fd.at.file != nil && fd.at.file == c.old && !used[fd.key] {
			used[fd.key] = true
			fromOld = append(fromOld, fd.at)
		}
	}
	if c.w == nil && len(used) == len(c.index) {
		return // nothing new, nothing stale
	}
	w := c.writer()
	for _, at := range fromOld {
		payload := make([]byte, at.n)
		if _, err := at.file.ReadAt(payload, at.off); err != nil || crc32.Checksum(payload, castagnoli) != at.crc {
			continue // a damaged record: the next load parses its lesson
		}
		w.putPayload(payload)
	}
	c.closeOld() // before the new file is renamed over it
	w.commit(nil)
}

// leavingOut is parseFile with what a lesson from the cache does not hold
// dropped from each lesson as soon as it is parsed: a command sees the same
// lesson, cold or warm.
func leavingOut(parseFile func(fsys fs.FS, name, display string) (*Lesson, error)) func(fsys fs.FS, name, display string) (*Lesson, error) {
	return func(fsys fs.FS, name, display string) (*Lesson, error) {
		l, err := parseFile(fsys, name, display)
		if l != nil && !l.proseLater {
			for i := range l.Parts {
				l.Parts[i].Prose = ""
			}
			l.proseLater = true
			for _, ex := range l.Exercises {
				ex.Wrong = nil
			}
		}
		return l, err
	}
}

// bufferedWriter copies through buf: hashing a thousand files does not
// allocate a buffer for each.
type bufferedWriter struct {
	w   io.Writer
	buf []byte
}

func (b bufferedWriter) Write(p []byte) (int, error) { return b.w.Write(p) }

func (b bufferedWriter) ReadFrom(r io.Reader) (int64, error) {
	return io.CopyBuffer(struct{ io.Writer }{b.w}, r, b.buf)
}

// lessonHash starts the key of a lesson file: its names, then its bytes.
func lessonHash(display, name string) hash.Hash {
	h := sha256.New()
	fmt.Fprintf(h, "%q %q\n", display, name)
	return h
}

// nextRecord reads the next record of a cache file into v, and says how
// many bytes it took. It reports false for the end of the file, a record
// cut short, a checksum that does not match and a payload that does not
// decode.
func nextRecord(r *bufio.Reader, v any) (int64, bool) {
	n, err := binary.ReadUvarint(r)
	if err != nil || n > MaxFileSize*4 {
		return 0, false
	}
	b := make([]byte, n+4)
	if _, err := io.ReadFull(r, b); err != nil {
		return 0, false
	}
	ok := crc32.Checksum(b[4:], castagnoli) == binary.BigEndian.Uint32(b) && cbor.Unmarshal(b[4:], v) == nil
	return int64(uvarintLen(n)) + int64(n) + 4, ok
}

// uvarintLen is how many bytes the uvarint of n takes.
func uvarintLen(n uint64) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], n)
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// recordWriter writes a cache file: its header, then records, to a
// temporary file that commit renames over the file. Its methods may be
// called from several goroutines; one that could not start (err set)
// writes nothing.
type recordWriter struct {
	file string
	tmp  *os.File
	mu   sync.Mutex
	w    *bufio.Writer
	off  int64 // where the next record starts
	err  error // the first write that failed
}

// newRecordWriter starts a new cache file with its header.
func newRecordWriter(file, build string) (*recordWriter, error) {
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, ".course-*.tmp")
	if err != nil {
		return nil, err
	}
	w := &recordWriter{file: file, tmp: tmp, w: bufio.NewWriterSize(tmp, 64<<10)}
	hdr, err := cbor.Marshal(cacheHeader{Version: cacheVersion, Build: build})
	if err == nil {
		_, err = w.putPayload(hdr)
	}
	return w, err
}

// putLesson adds a lesson's record and says where it lies.
func (r *recordWriter) putLesson(key [sha256.Size]byte, e *cachedLesson) (span, error) {
	payload, err := cbor.Marshal(e)
	if err != nil {
		return span{}, err
	}
	return r.putPayload(append(key[:], payload...))
}

// putPayload adds a record of this payload: its length, its CRC-32C and
// itself.
func (r *recordWriter) putPayload(payload []byte) (span, error) {
	var head [binary.MaxVarintLen64 + 4]byte
	n := binary.PutUvarint(head[:], uint64(len(payload)))
	crc := crc32.Checksum(payload, castagnoli)
	binary.BigEndian.PutUint32(head[n:], crc)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return span{}, r.err
	}
	if _, r.err = r.w.Write(head[:n+4]); r.err == nil {
		_, r.err = r.w.Write(payload)
	}
	at := span{file: r.tmp, off: r.off + int64(n) + 4, n: len(payload), crc: crc}
	r.off = at.off + int64(len(payload))
	return at, r.err
}

// flush writes out what is buffered, so that records can be read back.
func (r *recordWriter) flush() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = r.w.Flush()
	}
}

// commit puts the file in place, unless err or a write failed: then the
// old file stays. Cache files unused for long are pruned meanwhile.
func (r *recordWriter) commit(err error) {
	if r.tmp == nil {
		return
	}
	err = errors.Join(err, r.err, r.w.Flush(), r.tmp.Close())
	if err == nil {
		err = os.Rename(r.tmp.Name(), r.file)
	}
	if err != nil {
		os.Remove(r.tmp.Name())
	}
	pruneCache(filepath.Dir(r.file), time.Now())
}

// cacheUnused is how long a cache file may go unused before it is removed:
// the file of a lesson folder named once does not stay for ever.
const cacheUnused = 30 * 24 * time.Hour

// pruneCache removes the cache files of dir that were not used for
// cacheUnused, and temporary files a crash left. A file that is read is
// touched at most once a day (see readFile), so its time tells when it was
// last used.
func pruneCache(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		old := cacheUnused
		switch {
		case strings.HasPrefix(name, "course-") && strings.HasSuffix(name, ".cache"):
		case strings.HasPrefix(name, ".course-") && strings.HasSuffix(name, ".tmp"):
			old = 24 * time.Hour
		default:
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > old {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// toCache is the cache's copy of l: the lesson is copied, not changed.
func toCache(l *Lesson) (*cachedLesson, error) {
	cl := *l
	cl.FS, cl.Parts = nil, nil
	e := &cachedLesson{IDPos: l.idPos, PrereqPos: l.prereqPos}
	if l.Exercises != nil {
		cl.Exercises = make([]*Exercise, len(l.Exercises))
	}
	for i, ex := range l.Exercises {
		cx := *ex
		cx.Lesson, cx.Wrong = nil, nil
		cx.Checks = slices.Clone(ex.Checks)
		var specs []cachedSpec
		for j, ch := range ex.Checks {
			fields, err := cbor.Marshal(ch.Spec)
			if err != nil {
				return nil, err
			}
			specs = append(specs, cachedSpec{Kind: ch.Kind, Fields: fields})
			cx.Checks[j].Spec = nil
		}
		cl.Exercises[i] = &cx
		e.Specs = append(e.Specs, specs)
		e.WorkspacePos = append(e.WorkspacePos, ex.workspacePos)
		e.CheckPos = append(e.CheckPos, ex.checkPos)
		e.ContinuesPos = append(e.ContinuesPos, ex.continuesPos)
		e.Named = append(e.Named, ex.named)
		e.OwnsPos = append(e.OwnsPos, ex.ownsPos)
		e.NetworkPos = append(e.NetworkPos, ex.networkPos)
		e.MountPos = append(e.MountPos, ex.mountPos)
		var scan *cachedScan
		if ex.scripts != nil {
			scan = &cachedScan{Used: ex.scripts.used, Built: ex.scripts.built}
		}
		e.Scripts = append(e.Scripts, scan)
	}
	if l.Quizzes != nil {
		cl.Quizzes = make([]*Quiz, len(l.Quizzes))
	}
	for i, q := range l.Quizzes {
		cq := *q
		cq.Lesson = nil
		cl.Quizzes[i] = &cq
	}
	for _, p := range l.Parts {
		// Prose is left out: LoadProse reads it from the lesson's file.
		e.Parts = append(e.Parts, cachedPart{
			Exercise: slices.Index(l.Exercises, p.Exercise), Quiz: slices.Index(l.Quizzes, p.Quiz)})
	}
	e.Lesson = &cl
	return e, nil
}

// nth is s[i], or nothing where an entry holds fewer than i+1.
func nth[T any](s []T, i int) T {
	if i < len(s) {
		return s[i]
	}
	var none T
	return none
}

// lesson rebuilds the Lesson of a cache entry. It is asked for once: the
// entry's lesson, exercises and quizzes become the lesson's.
func (e *cachedLesson) lesson() (*Lesson, error) {
	l := e.Lesson
	l.idPos, l.prereqPos = e.IDPos, e.PrereqPos
	for i, ex := range l.Exercises {
		if ex == nil || i >= len(e.Specs) || len(e.Specs[i]) != len(ex.Checks) {
			return nil, errors.New("the cached exercises do not match their checks")
		}
		ex.Lesson = l
		for j, cs := range e.Specs[i] {
			if cs.Kind == "" {
				return nil, errors.New("a cached check has no kind")
			}
			k, ok := checker.KindNamed(cs.Kind)
			if !ok {
				return nil, fmt.Errorf("no kind of check %q", cs.Kind)
			}
			spec := k.New()
			if err := cbor.Unmarshal(cs.Fields, spec); err != nil {
				return nil, err
			}
			ex.Checks[j].Spec = spec
			ex.Checks[j].Kind = k.Name // one string for every check of the kind
		}
		ex.workspacePos = nth(e.WorkspacePos, i)
		ex.checkPos = nth(e.CheckPos, i)
		ex.continuesPos = nth(e.ContinuesPos, i)
		ex.named = nth(e.Named, i)
		ex.ownsPos = nth(e.OwnsPos, i)
		ex.networkPos = nth(e.NetworkPos, i)
		ex.mountPos = nth(e.MountPos, i)
		if scan := nth(e.Scripts, i); scan != nil {
			ex.scripts = &imageScan{used: scan.Used, built: scan.Built}
		}
	}
	for _, q := range l.Quizzes {
		if q == nil {
			return nil, errors.New("a cached quiz is empty")
		}
		q.Lesson = l
	}
	// Each position decodes with its own copy of the file's name: share the
	// lesson's (about a tenth of a large course's memory).
	l.eachPos(func(p *Pos) {
		if p.File == l.File {
			p.File = l.File
		}
	})
	l.Parts, l.proseLater = nil, true
	for _, p := range e.Parts {
		var part Part
		if p.Exercise >= 0 && p.Exercise < len(l.Exercises) {
			part.Exercise = l.Exercises[p.Exercise]
		}
		if p.Quiz >= 0 && p.Quiz < len(l.Quizzes) {
			part.Quiz = l.Quizzes[p.Quiz]
		}
		l.Parts = append(l.Parts, part)
	}
	return l, nil
}

// CacheDir is where the course cache is kept: $XDG_CACHE_HOME/dockdojo,
// else ~/.cache/dockdojo.
func CacheDir(getenv func(string) string, home string) string {
	if dir := getenv("XDG_CACHE_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "dockdojo")
	}
	// No HOME, or one that is not an absolute path, is no cache: it would
	// be written under whatever folder dockdojo was run from.
	if !filepath.IsAbs(home) {
		return ""
	}
	return filepath.Join(home, ".cache", "dockdojo")
}

// eachPos calls f with every position the lesson keeps for messages.
func (l *Lesson) eachPos(f func(*Pos)) {
	each := func(ps []Pos) {
		for i := range ps {
			f(&ps[i])
		}
	}
	f(&l.idPos)
	each(l.prereqPos)
	for _, ex := range l.Exercises {
		f(&ex.Pos)
		f(&ex.SolutionPos)
		f(&ex.SolutionLines.Key)
		each(ex.workspacePos)
		each(ex.checkPos)
		for i := range ex.Wrong {
			f(&ex.Wrong[i].Pos)
			f(&ex.Wrong[i].ScriptLines.Key)
			f(&ex.Wrong[i].CleanupLines.Key)
		}
		f(&ex.continuesPos)
		for i := range ex.named {
			f(&ex.named[i].Pos)
		}
		for _, ps := range ex.ownsPos {
			each(ps)
		}
		f(&ex.networkPos)
		each(ex.mountPos)
		if ex.Sandbox != nil {
			f(&ex.Sandbox.ImagePos)
		}
	}
	for _, q := range l.Quizzes {
		f(&q.Pos)
	}
}
