package classroomcmd

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/lessons"
)

// lessonFollower hands the instructor's lesson folder to the classroom
// again when it changes while the classroom serves: a lesson edited during
// the day reaches the learners who type `dockdojo join` again. A folder
// with mistakes is not handed out; the learners keep the copy they have,
// and the instructor is told what to fix.
type lessonFollower struct {
	f       *cmdutil.Factory
	srv     *classroom.Server
	offered lessons.Source
	w       io.Writer
	stamp   string // names, sizes and times of the folder's files, last seen
	failed  string // the mistakes last reported, so each is said once
	sha     string // the archive the classroom offers now
}

// follow looks at the folder every interval until ctx ends.
func (l *lessonFollower) follow(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.look()
		}
	}
}

// look hands the folder out again if it changed since the last look.
func (l *lessonFollower) look() {
	stamp, err := folderStamp(l.offered.FS)
	if err != nil || stamp == l.stamp {
		return
	}
	l.stamp = stamp
	srcs, _, err := l.f.Sources()
	var c *lessons.Course
	if err == nil {
		c, err = lessons.LoadCached(lessons.CacheDir(l.f.Getenv, l.f.Home), srcs...)
	}
	var info classroom.LessonsInfo
	if err == nil {
		info, err = l.srv.SetLessons(CourseOf(c), l.offered.FS)
	}
	if err != nil {
		if msg := err.Error(); msg != l.failed {
			l.failed = msg
			fmt.Fprintf(l.w, "\n%s Your lessons in %s changed, but cannot be handed out; learners keep the copy they have until you fix this:\n%s\n", time.Now().Format("15:04"), l.offered.Name, msg)
		}
		return
	}
	l.failed = ""
	if info.SHA256 == l.sha {
		return
	}
	l.sha = info.SHA256
	fmt.Fprintf(l.w, "\n%s Your lessons in %s changed: %s, SHA-256 %s... Learners get the new copy when they type their `dockdojo join` line again.\n",
		time.Now().Format("15:04"), l.offered.Name, cmdutil.Plural(lessonsIn(c, l.offered), "lesson"), info.SHA256[:12])
}

// folderStamp sums up the names, sizes and modification times of every
// file in fsys: it changes when a file is written, added, removed or
// renamed, without reading any file.
func folderStamp(fsys fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%q %d %d %v\n", name, info.Size(), info.ModTime().UnixNano(), info.Mode())
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}
