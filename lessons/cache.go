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
// and the payload, in CBOR: first a cacheHeader, then one cachedLesson a
// lesson. It is written whole to a temporary file renamed over the old one,
// and read one record at a time, so a large course is never twice in
// memory. When there is no file to read (the first command, a new build),
// every lesson is parsed into a new file first and the course is then read
// from it (prime): a course parsed and kept lesson by lesson peaks at
// about twice its size. A file unused for 30 days is removed when another
// is written (reading one touches it, once a day).
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
//   - a record that cannot be read, fails its checksum or does not decode
//     ends the reading: what was read before it is used, the rest is
//     parsed again, and the file is written anew.
//
// CBOR (not gob) because it keeps what gob loses: a pointer to a zero value
// (exit_code: 0 is not "any exit code") and an empty list that is not nil.
//
// lint and selftest do not use it: they always read and parse every file.
// So it keeps neither the lessons' prose (LoadProse reads it from the file
// when it is shown) nor their wrong attempts, which only lint and selftest
// read: a lesson from LoadCached has none, cold or warm, and the course of
// 1,000 lessons fits in less memory (P6 of docs/performance.md).
const cacheVersion = 5

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
	Key          [sha256.Size]byte
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
func LoadCached(dir string, sources ...Source) (*Course, error) {
	build, ok := executableBuild()
	if !ok || dir == "" {
		return load(sources, leavingOut(ParseFile))
	}
	file := filepath.Join(dir, cacheFileName(sources))
	if !cacheUsable(file, build) {
		// Nothing to take from: parse every lesson into a new cache file
		// first, then load from it as a warm cache would.
		prime(file, build, sources)
	}
	c := &courseCache{
		file:  file,
		build: build,
		read:  make(chan struct{}),
		bufs:  sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }},
		old:   map[[sha256.Size]byte]*Lesson{},
	}
	go func() {
		defer close(c.read)
		c.readFile()
	}()
	course, err := load(sources, leavingOut(c.parseFile))
	<-c.read // when there is no lesson at all
	if c.changed || len(c.old) > 0 {
		c.write()
	}
	return course, err
}

// courseCache is one load through the cache.
type courseCache struct {
	file  string
	build string
	// read is closed once old is read from the file: files are hashed
	// meanwhile.
	read chan struct{}
	bufs sync.Pool // of *[]byte, to hash files through

	mu  sync.Mutex
	old map[[sha256.Size]byte]*Lesson // what the file holds, less what was taken
	// kept are this load's lessons that the cache keeps; changed tells
	// whether one was parsed anew.
	kept    []keptLesson
	changed bool
}

// keptLesson is a lesson to write to the cache, and its key.
type keptLesson struct {
	key    [sha256.Size]byte
	lesson *Lesson
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

// parseFile stands in for ParseFile: it hashes the file, and reads and
// parses it only when the cache does not hold it already.
func (c *courseCache) parseFile(fsys fs.FS, name, display string) (*Lesson, error) {
	h := lessonHash(display, name)
	buf := c.bufs.Get().(*[]byte)
	problem := copyLesson(bufferedWriter{h, *buf}, fsys, name)
	c.bufs.Put(buf)
	if problem != "" {
		return nil, ErrorList{{Pos: Pos{File: display, Line: 1}, Msg: problem}}
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	<-c.read
	c.mu.Lock()
	l := c.old[key]
	delete(c.old, key) // taken: it is this load's now
	c.mu.Unlock()
	if l != nil {
		c.keep(keptLesson{key, l}, false)
		return placed(l, nil, fsys, name)
	}
	src, problem := readLesson(fsys, name)
	if problem != "" {
		return nil, ErrorList{{Pos: Pos{File: display, Line: 1}, Msg: problem}}
	}
	l, errs := parse(src, display)
	if len(errs) == 0 {
		// The key of what was parsed: the file may have changed since it
		// was hashed above.
		h = lessonHash(display, name)
		h.Write(src)
		c.keep(keptLesson{[sha256.Size]byte(h.Sum(nil)), l}, true)
	}
	return placed(l, errs, fsys, name)
}

// leavingOut is parseFile with what a lesson from the cache does not hold
// dropped from each lesson as soon as it is parsed: a command sees the same
// lesson, cold or warm, and a cold load does not hold every lesson's text
// until its end.
func leavingOut(parseFile func(fsys fs.FS, name, display string) (*Lesson, error)) func(fsys fs.FS, name, display string) (*Lesson, error) {
	return func(fsys fs.FS, name, display string) (*Lesson, error) {
		l, err := parseFile(fsys, name, display)
		if err == nil && !l.proseLater {
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

// keep adds a lesson to those the cache file will hold.
func (c *courseCache) keep(k keptLesson, parsed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.kept = append(c.kept, k)
	c.changed = c.changed || parsed
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

// readFile fills c.old from the cache file, as far as it can be read.
func (c *courseCache) readFile() {
	f, err := os.Open(c.file)
	if err != nil {
		return
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && time.Since(info.ModTime()) > 24*time.Hour {
		now := time.Now()
		os.Chtimes(c.file, now, now) // used today: not pruned
	}
	r := bufio.NewReaderSize(f, 64<<10)
	var buf []byte
	next := func(v any) bool { return nextRecord(r, &buf, v) }
	var hdr cacheHeader
	if !next(&hdr) || hdr.Version != cacheVersion || hdr.Build != c.build {
		return
	}
	for {
		e := &cachedLesson{}
		if !next(e) || e.Lesson == nil {
			return
		}
		// Made into its lesson at once, so that the record's encoded
		// checks are garbage before the next record is read: a large
		// course would otherwise hold both at its peak.
		if l, err := e.lesson(); err == nil {
			c.old[e.Key] = l
		}
	}
}

// nextRecord reads the next record of a cache file into v, through *buf
// (nil: a buffer of its own). It reports false for the end of the file, a
// record cut short, a checksum that does not match and a payload that does
// not decode.
func nextRecord(r *bufio.Reader, buf *[]byte, v any) bool {
	n, err := binary.ReadUvarint(r)
	if err != nil || n > MaxFileSize*4 {
		return false
	}
	if buf == nil {
		buf = new([]byte)
	}
	if uint64(cap(*buf)) < n+4 {
		*buf = make([]byte, n+4)
	}
	b := (*buf)[:n+4]
	if _, err := io.ReadFull(r, b); err != nil {
		return false
	}
	return crc32.Checksum(b[4:], castagnoli) == binary.BigEndian.Uint32(b) && cbor.Unmarshal(b[4:], v) == nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// write replaces the cache file with this load's lessons. It fails
// silently: the cache only saves time.
func (c *courseCache) write() {
	w, err := newRecordWriter(c.file, c.build)
	if err != nil {
		return
	}
	for _, k := range c.kept {
		var e *cachedLesson
		if e, err = toCache(k.key, k.lesson); err == nil {
			err = w.put(e)
		}
		if err != nil {
			break
		}
	}
	w.commit(err)
}

// cacheUsable reports whether the cache file can be read: it opens with
// the header of this cache version and this build.
func cacheUsable(file, build string) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	var hdr cacheHeader
	return nextRecord(bufio.NewReaderSize(f, 4<<10), nil, &hdr) && hdr.Version == cacheVersion && hdr.Build == build
}

// prime writes the cache file of sources from scratch, parsing every
// lesson into it and keeping none in memory: a course is then loaded from
// the file. A load that parsed every lesson and kept them all held the
// course while its parsing made garbage many times its size, and the
// collector let the heap grow to twice the course (a cold load of 1,000
// lessons peaked at 79 MB, a warm one at 57 MB). Lessons with mistakes are
// left out, to be parsed and reported by the load. It fails silently: the
// load then parses what the file lacks.
func prime(file, build string, sources []Source) {
	w, err := newRecordWriter(file, build)
	if err != nil {
		return
	}
	files, _ := lessonFiles(sources)
	var jobs []func()
	var mu sync.Mutex
	var failed error
	for i, src := range sources {
		for _, name := range files[i] {
			jobs = append(jobs, func() {
				display := path.Join(src.Name, name)
				data, problem := readLesson(src.FS, name)
				if problem != "" {
					return
				}
				l, errs := parse(data, display)
				if len(errs) > 0 {
					return
				}
				h := lessonHash(display, name)
				h.Write(data)
				e, err := toCache([sha256.Size]byte(h.Sum(nil)), l)
				if err == nil {
					err = w.put(e)
				}
				if err != nil {
					mu.Lock()
					failed = errors.Join(failed, err)
					mu.Unlock()
				}
			})
		}
	}
	runAll(jobs)
	w.commit(failed)
}

// recordWriter writes a cache file: its header, then records, to a
// temporary file that commit renames over the file. put may be called
// from several goroutines.
type recordWriter struct {
	file string
	tmp  *os.File
	mu   sync.Mutex
	w    *bufio.Writer
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
	return w, w.put(cacheHeader{Version: cacheVersion, Build: build})
}

// put adds a record: its payload's length, the payload's CRC-32C and the
// payload, v in CBOR.
func (r *recordWriter) put(v any) error {
	payload, err := cbor.Marshal(v)
	if err != nil {
		return err
	}
	var head [binary.MaxVarintLen64 + 4]byte
	n := binary.PutUvarint(head[:], uint64(len(payload)))
	binary.BigEndian.PutUint32(head[n:], crc32.Checksum(payload, castagnoli))
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		_, r.err = r.w.Write(head[:n+4])
	}
	if r.err == nil {
		_, r.err = r.w.Write(payload)
	}
	return r.err
}

// commit puts the file in place, unless err or a write failed: then the
// old file stays. Cache files unused for long are pruned meanwhile.
func (r *recordWriter) commit(err error) {
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
func toCache(key [sha256.Size]byte, l *Lesson) (*cachedLesson, error) {
	cl := *l
	cl.FS, cl.Parts = nil, nil
	e := &cachedLesson{Key: key, IDPos: l.idPos, PrereqPos: l.prereqPos}
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
	if strings.TrimSpace(home) == "" {
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
		each(ex.workspacePos)
		each(ex.checkPos)
		f(&ex.continuesPos)
		for i := range ex.named {
			f(&ex.named[i].Pos)
		}
		for _, ps := range ex.ownsPos {
			each(ps)
		}
		f(&ex.networkPos)
	}
	for _, q := range l.Quizzes {
		f(&q.Pos)
	}
}
