package classroom

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/lessons"
)

// TestLessonsThroughJoin: a classroom offers an instructor's lesson
// folder; a learner who joined fetches it, verified, into a folder of
// their own, where it parses as lessons and stays usable with the server
// gone; a changed folder replaces the copy, and a classroom that no longer
// offers lessons has the copy removed.
func TestLessonsThroughJoin(t *testing.T) {
	// A real lesson folder: two built-in lessons with their starter files,
	// some in a folder whose name starts with "_".
	folder := copyTree(t, content.FS(), "first-run", "dockerfiles")
	r := newRoom(t, Options{Now: time.Now, Lessons: folder})
	offered := r.srv.Lessons()
	if offered.SHA256 == "" || offered.Files < 3 {
		t.Fatalf("the server offers %+v", offered)
	}
	cfg, resp, err := JoinWith(context.Background(), r.ts.Client(), r.ts.URL, JoinRequest{Code: r.srv.JoinCode(), Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Lessons == nil || *resp.Lessons != offered {
		t.Fatalf("the join's answer says %+v, want %+v", resp.Lessons, offered)
	}
	dir := filepath.Join(t.TempDir(), "classroom-lessons")
	res, err := SyncLessons(context.Background(), r.ts.Client(), cfg, dir)
	if err != nil || !res.Changed || res.Lessons == nil || res.Lessons.SHA256 != offered.SHA256 || res.Lessons.Files != offered.Files {
		t.Fatalf("SyncLessons = %+v, %v", res, err)
	}
	// Every file arrived as it is in the folder.
	err = fs.WalkDir(folder, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		want, _ := fs.ReadFile(folder, name)
		got, err := os.ReadFile(filepath.Join(res.Lessons.Path, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes, %v; want %d bytes", name, len(got), err, len(want))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// With the server gone, the copy is there and parses.
	url := r.ts.URL
	r.stop()
	in, err := LoadInstalledLessons(dir)
	if err != nil || in == nil || in.Path != res.Lessons.Path || in.Source != url {
		t.Fatalf("LoadInstalledLessons = %+v, %v", in, err)
	}
	src, err := lessons.Folder(in.Path)
	if err != nil {
		t.Fatal(err)
	}
	course, err := lessons.Load(src)
	if err != nil || course.Lesson("dockerfiles") == nil {
		t.Fatalf("the fetched lessons do not load: %v", err)
	}

	// The same folder again: nothing to fetch.
	r.start()
	cfg.URL = r.ts.URL // a new port on each start
	res, err = SyncLessons(context.Background(), r.ts.Client(), cfg, dir)
	if err != nil || res.Changed || res.Lessons.Path != in.Path {
		t.Fatalf("SyncLessons of the same lessons = %+v, %v; want unchanged", res, err)
	}

	// A changed folder replaces the copy; the old one goes.
	r.stop()
	r.opts.Lessons = fstest.MapFS{
		"mine.md":        {Data: []byte("# mine\n")},
		"mine/run.sh":    {Data: []byte("#!/bin/sh\necho hi\n"), Mode: 0o755},
		".git/config":    {Data: []byte("[core]\n")},
		".DS_Store":      {Data: []byte("junk")},
		"_starter/a.txt": {Data: []byte("a")},
	}
	r.start()
	cfg.URL = r.ts.URL // a new port on each start
	res, err = SyncLessons(context.Background(), r.ts.Client(), cfg, dir)
	if err != nil || !res.Changed || res.Lessons.Files != 3 {
		t.Fatalf("SyncLessons of changed lessons = %+v, %v", res, err)
	}
	if _, err := os.Stat(in.Path); !os.IsNotExist(err) {
		t.Errorf("the old copy %s is still there: %v", in.Path, err)
	}
	if st, err := os.Stat(filepath.Join(res.Lessons.Path, "mine", "run.sh")); err != nil || st.Mode().Perm()&0o100 == 0 {
		t.Errorf("run.sh lost its execute bit: %v %v", st, err)
	}
	for _, hidden := range []string{".git", ".DS_Store"} {
		if _, err := os.Stat(filepath.Join(res.Lessons.Path, hidden)); !os.IsNotExist(err) {
			t.Errorf("%s was offered: %v", hidden, err)
		}
	}

	// A classroom that offers no lessons any more: the copy goes.
	r.stop()
	r.opts.Lessons = nil
	r.start()
	cfg.URL = r.ts.URL // a new port on each start
	res, err = SyncLessons(context.Background(), r.ts.Client(), cfg, dir)
	if err != nil || !res.Removed || res.Lessons != nil {
		t.Fatalf("SyncLessons with none offered = %+v, %v; want the copy removed", res, err)
	}
	if in, err := LoadInstalledLessons(dir); in != nil || err != nil {
		t.Errorf("after removal: %+v, %v", in, err)
	}
	// join --leave on a learner who has none.
	if err := RemoveLessons(dir); err != nil {
		t.Errorf("RemoveLessons of nothing: %v", err)
	}
}

// copyTree copies folders of fsys into a folder of its own.
func copyTree(t *testing.T, fsys fs.FS, dirs ...string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	for _, dir := range dirs {
		err := fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(fsys, name)
			out[name] = &fstest.MapFile{Data: data, Mode: 0o644}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestLessonsNeedAToken: only learners who joined get the lessons.
func TestLessonsNeedAToken(t *testing.T) {
	r := newRoom(t, Options{Lessons: fstest.MapFS{"a.md": {Data: []byte("a")}}})
	for _, path := range []string{"/api/v1/lessons", "/api/v1/lessons/archive"} {
		if status, _, body := r.get(path); status != 401 || !strings.Contains(body, "join") {
			t.Errorf("GET %s without a token: %d %s", path, status, body)
		}
	}
	none := newRoom(t, Options{})
	tok := none.join("Ada")
	req, _ := http.NewRequest("GET", none.ts.URL+"/api/v1/lessons/archive", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := none.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("archive of a classroom without lessons: %d, want 404", resp.StatusCode)
	}
}

// TestLessonFolderBounds: the server refuses to offer what a learner's
// dockdojo would refuse, and links that lead out of the folder.
func TestLessonFolderBounds(t *testing.T) {
	many := fstest.MapFS{}
	for i := 0; i <= MaxLessonFiles; i++ {
		many[fmt.Sprintf("f%d.md", i)] = &fstest.MapFile{Data: []byte("x")}
	}
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lesson.md"), []byte("# l\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("lesson.md", filepath.Join(dir, "alias.md")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if _, info, err := packLessons(root.FS()); err != nil || info.Files != 2 {
		t.Fatalf("a link to a file inside the folder: %+v, %v; want it packed as a file", info, err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "leak.md")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		fsys fs.FS
		want string
	}{
		{"too many files", many, "more than 2000 files"},
		{"a file too big", fstest.MapFS{"big.bin": {Data: make([]byte, MaxLessonFileBytes+1)}}, "at most"},
		{"a link out of the folder", root.FS(), "leak.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := packLessons(tt.fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("packLessons: %v, want an error with %q", err, tt.want)
			}
			if _, err := NewServer(newStore(t), Options{Lessons: tt.fsys}); err == nil || !strings.Contains(err.Error(), "lesson folder to offer") {
				t.Errorf("NewServer: %v, want the lesson folder's error", err)
			}
		})
	}
	// One folder, one archive: the hash survives a restart.
	a, ai, _ := packLessons(fstest.MapFS{"a.md": {Data: []byte("a"), ModTime: time.Now()}})
	b, bi, _ := packLessons(fstest.MapFS{"a.md": {Data: []byte("a"), ModTime: time.Now().Add(time.Hour)}})
	if !bytes.Equal(a, b) || ai.SHA256 != bi.SHA256 {
		t.Errorf("the same folder packs differently: %s and %s", ai.SHA256, bi.SHA256)
	}
}

// entry is one member of a hand-made archive.
type entry struct {
	hdr  tar.Header
	data []byte
}

// tarball makes a gzipped tar of entries, whatever they say.
func tarball(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := e.hdr
		if h.Typeflag == tar.TypeReg && h.Size == 0 {
			h.Size = int64(len(e.data))
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if len(e.data) > 0 {
			if _, err := tw.Write(e.data); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fakeClassroom serves an archive as a classroom's lessons, announcing
// announced as its hash ("" for the archive's own).
func fakeClassroom(t *testing.T, archive []byte, announced string, size int64) *httptest.Server {
	t.Helper()
	sum := sha256.Sum256(archive)
	if announced == "" {
		announced = hex.EncodeToString(sum[:])
	}
	if size == 0 {
		size = int64(len(archive))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/lessons", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(LessonsInfo{SHA256: announced, Size: size, Files: 1})
	})
	mux.HandleFunc("GET /api/v1/lessons/archive", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(archive)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

// TestSyncLessonsRefusesBadArchives: whatever a server sends, nothing is
// written outside the learner's folder, nothing but files and folders is
// made, the bounds hold, and the copy the learner had stays theirs.
func TestSyncLessonsRefusesBadArchives(t *testing.T) {
	good := tarball(t, entry{hdr: tar.Header{Typeflag: tar.TypeReg, Name: "good.md"}, data: []byte("# good\n")})
	file := func(name string, data []byte) entry {
		return entry{hdr: tar.Header{Typeflag: tar.TypeReg, Name: name}, data: data}
	}
	var many []entry
	for i := 0; i <= MaxLessonFiles; i++ {
		many = append(many, file(fmt.Sprintf("f%d.md", i), []byte("x")))
	}
	tests := []struct {
		name      string
		archive   []byte
		announced string
		size      int64
		want      string
	}{
		{"parent path", tarball(t, file("../evil.md", []byte("x"))), "", 0, "not a clean relative path"},
		{"deep parent path", tarball(t, file("a/../../evil.md", []byte("x"))), "", 0, "not a clean relative path"},
		{"absolute path", tarball(t, file("/tmp/evil.md", []byte("x"))), "", 0, "not a clean relative path"},
		{"backslash", tarball(t, file(`..\evil.md`, []byte("x"))), "", 0, `\`},
		{"symbolic link", tarball(t, entry{hdr: tar.Header{Typeflag: tar.TypeSymlink, Name: "link.md", Linkname: "/etc/passwd"}}), "", 0, "not a file or a folder"},
		{"hard link", tarball(t, entry{hdr: tar.Header{Typeflag: tar.TypeLink, Name: "link.md", Linkname: "good.md"}}), "", 0, "not a file or a folder"},
		{"device", tarball(t, entry{hdr: tar.Header{Typeflag: tar.TypeChar, Name: "null", Devmajor: 1, Devminor: 3}}), "", 0, "not a file or a folder"},
		{"a file twice", tarball(t, file("a.md", []byte("1")), file("a.md", []byte("2"))), "", 0, "twice"},
		{"too many files", tarball(t, many...), "", 0, "more than 2000 files"},
		{"a file too big", tarball(t, file("big.bin", make([]byte, MaxLessonFileBytes+1))), "", 0, "at most"},
		{"damaged", good, strings.Repeat("ab", 32), 0, "arrived damaged"},
		{"announced too big", good, strings.Repeat("cd", 32), MaxLessonBytes + 1, "at most"},
		{"answer too big", make([]byte, MaxLessonBytes+1), strings.Repeat("ab", 32), 0, "at most"},
		{"not an archive", []byte("<html>hello</html>"), "", 0, "lesson archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			dir := filepath.Join(base, "lessons")
			// The learner had a good copy from before.
			before, err := SyncLessons(context.Background(), nil, &Config{URL: fakeClassroom(t, good, "", 0).URL, Token: "t"}, dir)
			if err != nil {
				t.Fatal(err)
			}
			ts := fakeClassroom(t, tt.archive, tt.announced, tt.size)
			res, err := SyncLessons(context.Background(), nil, &Config{URL: ts.URL, Token: "t"}, dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("SyncLessons: %v, want an error with %q", err, tt.want)
			}
			if res.Lessons == nil || res.Lessons.Path != before.Lessons.Path {
				t.Errorf("after the refusal SyncLessons says %+v, want the old copy", res.Lessons)
			}
			in, err := LoadInstalledLessons(dir)
			if err != nil || in == nil || in.SHA256 != before.Lessons.SHA256 {
				t.Errorf("the old copy is gone: %+v, %v", in, err)
			}
			// Nothing but the learner's folder, and in it the old copy only.
			var found []string
			_ = filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
				rel, _ := filepath.Rel(base, p)
				found = append(found, filepath.ToSlash(rel))
				return nil
			})
			want := []string{".", "lessons", "lessons/current.json", "lessons/" + before.Lessons.Folder, "lessons/" + before.Lessons.Folder + "/good.md"}
			if strings.Join(found, " ") != strings.Join(want, " ") {
				t.Errorf("files after the refusal: %v, want %v", found, want)
			}
		})
	}
}

func TestLessonsDir(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if got := LessonsDir(getenv, "/home/ada"); got != "/home/ada/.local/share/dockdojo/classroom-lessons" {
		t.Errorf("LessonsDir without XDG_DATA_HOME = %s", got)
	}
	env["XDG_DATA_HOME"] = "/data"
	if got := LessonsDir(getenv, "/home/ada"); got != "/data/dockdojo/classroom-lessons" {
		t.Errorf("LessonsDir with XDG_DATA_HOME = %s", got)
	}
	env["XDG_DATA_HOME"] = "relative" // not absolute: ignored, as the spec says
	if got := LessonsDir(getenv, "/home/ada"); got != "/home/ada/.local/share/dockdojo/classroom-lessons" {
		t.Errorf("LessonsDir with a relative XDG_DATA_HOME = %s", got)
	}
}

// TestSetLessonsWhileServing: a course changed while the classroom serves
// keeps its learners and their events; an exercise it adds takes events
// and gets a column; one it drops leaves the grid and refuses new events,
// and comes back, with its events, when the course has it again. A folder
// that cannot be packed changes nothing.
func TestSetLessonsWhileServing(t *testing.T) {
	one := []CourseLesson{{ID: "own", Exercises: []CourseExercise{{ID: "a"}}}}
	two := []CourseLesson{{ID: "own", Exercises: []CourseExercise{{ID: "a"}, {ID: "b"}}}}
	r := newRoom(t, Options{Course: one, Lessons: fstest.MapFS{"own/lesson.md": {Data: []byte("# one")}}})
	ada := r.join("Ada")
	r.send(ada, ev(KindHint, "own/a", 0))
	before := r.srv.Lessons()

	if _, err := r.srv.SetLessons(two, fstest.MapFS{"own/lesson.md": {Data: []byte("# two")}}); err != nil {
		t.Fatal(err)
	}
	if after := r.srv.Lessons(); after.SHA256 == before.SHA256 || after.SHA256 == "" {
		t.Errorf("the offered lessons did not change: %+v, then %+v", before, after)
	}
	if resp := r.send(ada, ev(KindHint, "own/b", 1)); len(resp.Rejected) != 0 {
		t.Fatalf("an event of the added exercise was refused: %+v", resp.Rejected)
	}
	snap := r.srv.Snapshot()
	if got := strings.Join(snap.Exercises, " "); got != "own/a own/b" {
		t.Errorf("columns after adding an exercise: %s", got)
	}
	if len(snap.Learners) != 1 || snap.Learners[0].Cells["own/a"].Hints != 1 || snap.Learners[0].Cells["own/b"].Hints != 1 {
		t.Errorf("the learner or her events were lost: %+v", snap.Learners)
	}

	if _, err := r.srv.SetLessons(one, nil); err != nil {
		t.Fatal(err)
	}
	if r.srv.Lessons().SHA256 != "" {
		t.Errorf("no folder, yet lessons are still offered: %+v", r.srv.Lessons())
	}
	if resp := r.send(ada, ev(KindHint, "own/b", 2)); len(resp.Rejected) != 1 {
		t.Errorf("an event of a dropped exercise was taken: %+v", resp)
	}
	if _, err := r.srv.SetLessons(two, nil); err != nil {
		t.Fatal(err)
	}
	if got := r.srv.Snapshot().Learners[0].Cells["own/b"].Hints; got != 1 {
		t.Errorf("the dropped exercise came back with %d hints, want its 1 stored", got)
	}

	bad := []CourseLesson{{ID: "own"}, {ID: "own"}}
	if _, err := r.srv.SetLessons(bad, nil); err == nil {
		t.Errorf("a course with a lesson twice was taken")
	}
	if got := strings.Join(r.srv.Snapshot().Exercises, " "); got != "own/a own/b" {
		t.Errorf("a refused course changed the columns: %s", got)
	}
}
