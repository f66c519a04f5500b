package classroom

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The instructor's lessons reach the learners through the classroom:
//
//	GET /api/v1/lessons          Authorization: Bearer TOKEN
//	                             -> LessonsInfo ({"sha256": "", ...} when none)
//	GET /api/v1/lessons/archive  Authorization: Bearer TOKEN
//	                             -> the gzipped tar, X-Dockdojo-Sha256: its hash
//
// A join's answer carries the same LessonsInfo. The learner's dockdojo
// (SyncLessons) fetches the archive when its hash differs from the copy it
// keeps, checks size and hash before unpacking anything, and unpacks it
// into a folder of its own; from then on the lessons work offline.

func (s *Server) handleLessonsInfo(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.learnerRequest(w, r); !ok {
		return
	}
	writeJSONStatus(w, http.StatusOK, s.Lessons())
}

func (s *Server) handleLessonsArchive(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.learnerRequest(w, r); !ok {
		return
	}
	s.mu.Lock()
	archive, info := s.lessons, s.lessonsInfo
	s.mu.Unlock()
	if archive == nil {
		fail(w, http.StatusNotFound, "this classroom offers no lessons of its own")
		return
	}
	// The server's write timeout suits small answers; an archive over poor
	// Wi-Fi may take longer.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(5 * time.Minute))
	h := w.Header()
	h.Set("Content-Type", "application/gzip")
	h.Set("Content-Length", strconv.Itoa(len(archive)))
	h.Set("X-Dockdojo-Sha256", info.SHA256)
	_, _ = w.Write(archive)
}

// SetLessons changes the classroom's course and the lesson folder it
// offers, while it serves: the instructor edited a lesson during the day.
// Learners who join from then on (or type `dockdojo join` again) get the
// new copy, and the grid's columns follow the new course. The learners and
// their events stay; an exercise the course no longer has leaves the grid
// (its events stay in the store) and its new events are refused. On an
// error nothing changes.
func (s *Server) SetLessons(lessons []CourseLesson, folder fs.FS) (LessonsInfo, error) {
	c, err := newCourse(lessons)
	if err != nil {
		return LessonsInfo{}, err
	}
	var archive []byte
	var info LessonsInfo
	s.mu.Lock()
	replace := s.lessonsInfo.Replace
	s.mu.Unlock()
	if folder != nil {
		if archive, info, err = packLessons(folder); err != nil {
			return LessonsInfo{}, err
		}
		info.Replace = replace
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.load(c)
	if err != nil {
		return LessonsInfo{}, err
	}
	if err := s.keepServedWith(lessons); err != nil {
		return LessonsInfo{}, err
	}
	s.course, s.model, s.lessons, s.lessonsInfo = c, m, archive, info
	return info, nil
}

// LessonsDir is where a learner's dockdojo keeps the lessons a classroom
// offered: $XDG_DATA_HOME/dockdojo/classroom-lessons, else
// ~/.local/share/dockdojo/classroom-lessons.
func LessonsDir(getenv func(string) string, home string) string {
	dir := getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "dockdojo", "classroom-lessons")
}

// InstalledLessons is the copy of a classroom's lessons on the learner's
// machine. Its folder (the dir given to SyncLessons) holds:
//
//	current.json      this record: which copy is current
//	lessons-<hash16>/ the current copy, unpacked; hash16 is the start of
//	                  the archive's SHA-256
//
// A new copy is unpacked beside the old one and current.json is replaced
// in one rename, so a dockdojo reading the lessons at that moment finds the
// old copy or the new one, whole.
type InstalledLessons struct {
	// Path is the folder of lessons: what `lessons.Folder` opens.
	Path    string    `json:"-"`
	Folder  string    `json:"folder"` // Path's name inside the dir
	SHA256  string    `json:"sha256"`
	Files   int       `json:"files"`
	Source  string    `json:"source"` // the classroom's URL
	Fetched time.Time `json:"fetched"`
	// Replace: these lessons are the whole course (LessonsInfo.Replace).
	Replace bool `json:"replace,omitempty"`
}

const currentLessons = "current.json"

// LoadInstalledLessons reads which lessons dir holds; nil when none.
func LoadInstalledLessons(dir string) (*InstalledLessons, error) {
	data, err := os.ReadFile(filepath.Join(dir, currentLessons))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the classroom's lessons: %w", err)
	}
	var in InstalledLessons
	if err := json.Unmarshal(data, &in); err != nil || !strings.HasPrefix(in.Folder, "lessons-") || strings.ContainsAny(in.Folder, `/\`) {
		return nil, fmt.Errorf("the classroom's lessons in %s cannot be read; fetch them again with `dockdojo join`, or remove them with `dockdojo join --leave`", dir)
	}
	in.Path = filepath.Join(dir, in.Folder)
	if st, err := os.Stat(in.Path); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("the classroom's lessons in %s are incomplete; fetch them again with `dockdojo join`, or remove them with `dockdojo join --leave`", dir)
	}
	return &in, nil
}

// SyncResult says what SyncLessons did.
type SyncResult struct {
	// Lessons is what dir holds now; nil when the classroom offers none.
	Lessons *InstalledLessons
	// Changed: a new copy was unpacked. Removed: the classroom offers no
	// lessons any more and the old copy was removed.
	Changed, Removed bool
}

// SyncLessons makes dir hold the lessons the classroom of cfg offers: it
// asks for the archive's hash and, when it differs from the copy in dir,
// fetches the archive (at most MaxLessonBytes), checks its SHA-256, unpacks
// it (files and folders only, nothing outside, within the bounds above) and
// makes it the current copy, removing the old one. When the classroom
// offers none, a copy kept from it is removed. On any error the copy dir
// held is left as it was.
func SyncLessons(ctx context.Context, hc *http.Client, cfg *Config, dir string) (SyncResult, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	old, err := LoadInstalledLessons(dir)
	if err != nil {
		old = nil // unreadable: replaced below
	}
	var info LessonsInfo
	if err := get(ctx, hc, cfg.URL+"/api/v1/lessons", cfg.Token, 1<<20, func(resp *http.Response, body []byte) error {
		return json.Unmarshal(body, &info)
	}); err != nil {
		return SyncResult{Lessons: old}, err
	}
	if info.SHA256 == "" {
		if old == nil {
			return SyncResult{}, nil
		}
		return SyncResult{Removed: true}, RemoveLessons(dir)
	}
	if old != nil && old.SHA256 == info.SHA256 {
		if old.Replace == info.Replace {
			return SyncResult{Lessons: old}, nil
		}
		// The same lessons, now the whole course or no longer.
		old.Replace = info.Replace
		if err := saveInstalled(dir, old); err != nil {
			return SyncResult{Lessons: old}, err
		}
		return SyncResult{Lessons: old, Changed: true}, nil
	}
	if info.Size > MaxLessonBytes {
		return SyncResult{Lessons: old}, fmt.Errorf("the classroom's lessons are %d bytes; dockdojo takes at most %d", info.Size, MaxLessonBytes)
	}
	var archive []byte
	if err := get(ctx, hc, cfg.URL+"/api/v1/lessons/archive", cfg.Token, MaxLessonBytes, func(resp *http.Response, body []byte) error {
		archive = body
		return nil
	}); err != nil {
		return SyncResult{Lessons: old}, err
	}
	sum := sha256.Sum256(archive)
	if got := hex.EncodeToString(sum[:]); got != info.SHA256 {
		return SyncResult{Lessons: old}, fmt.Errorf("the classroom's lessons arrived damaged (SHA-256 %s, announced %s); run `dockdojo join` again", got[:16], info.SHA256[:min(16, len(info.SHA256))])
	}
	in, err := installLessons(archive, info, cfg.URL, dir)
	if err != nil {
		return SyncResult{Lessons: old}, err
	}
	return SyncResult{Lessons: in, Changed: true}, nil
}

// installLessons unpacks a verified archive beside the current copy and
// makes it current.
func installLessons(archive []byte, info LessonsInfo, source, dir string) (*InstalledLessons, error) {
	sum := info.SHA256
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("keep the classroom's lessons: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, ".incoming-")
	if err != nil {
		return nil, fmt.Errorf("keep the classroom's lessons: %w", err)
	}
	defer os.RemoveAll(tmp) // gone once renamed; left over only on failure
	files, err := unpackLessons(archive, tmp)
	if err != nil {
		return nil, err
	}
	in := &InstalledLessons{Folder: "lessons-" + sum[:16], SHA256: sum, Files: files, Source: source, Fetched: time.Now().UTC(), Replace: info.Replace}
	in.Path = filepath.Join(dir, in.Folder)
	if err := os.RemoveAll(in.Path); err != nil { // a copy of this hash that was never made current
		return nil, fmt.Errorf("keep the classroom's lessons: %w", err)
	}
	if err := os.Rename(tmp, in.Path); err != nil {
		return nil, fmt.Errorf("keep the classroom's lessons: %w", err)
	}
	if err := saveInstalled(dir, in); err != nil {
		return nil, err
	}
	// Older copies and leftovers of interrupted fetches go.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n != in.Folder && n != currentLessons && (strings.HasPrefix(n, "lessons-") || strings.HasPrefix(n, ".incoming-")) && filepath.Join(dir, n) != tmp {
			os.RemoveAll(filepath.Join(dir, n))
		}
	}
	return in, nil
}

// saveInstalled makes in the record of dir's current copy.
func saveInstalled(dir string, in *InstalledLessons) error {
	data, _ := json.MarshalIndent(in, "", "  ")
	if err := writeFileAtomic(filepath.Join(dir, currentLessons), append(data, '\n')); err != nil {
		return fmt.Errorf("keep the classroom's lessons: %w", err)
	}
	return nil
}

// RemoveLessons removes the classroom's lessons kept in dir, for
// `dockdojo join --leave`. A dir that does not exist is no error.
func RemoveLessons(dir string) error {
	// current.json first: a dockdojo starting meanwhile sees no lessons
	// rather than half a folder.
	if err := os.Remove(filepath.Join(dir, currentLessons)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the classroom's lessons: %w", err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove the classroom's lessons: %w", err)
	}
	return nil
}

// writeFileAtomic writes a file by renaming a complete temporary one over it.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return werr
	}
	return os.Rename(tmp.Name(), path)
}

// get fetches a URL with the learner's token and hands a successful answer
// of at most limit bytes to use.
func get(ctx context.Context, hc *http.Client, u, token string, limit int64, use func(*http.Response, []byte) error) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.ContentLength > limit {
		return fmt.Errorf("%s answered %d bytes; dockdojo takes at most %d", u, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return err
	}
	if int64(len(body)) > limit {
		return fmt.Errorf("%s answered more than %d bytes; dockdojo takes at most that", u, limit)
	}
	if resp.StatusCode != http.StatusOK {
		return apiErrorOf(resp.StatusCode, resp.Header, body)
	}
	if err := use(resp, body); err != nil {
		return fmt.Errorf("%s did not answer as a dockdojo classroom does: %w", u, err)
	}
	return nil
}
