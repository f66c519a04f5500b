package classroomcmd

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/lessons"
)

// lessonFollower hands the instructor's lesson folder to the classroom
// again when it changes while the classroom serves: a lesson edited during
// the day reaches the learners who type `dockdojo join` again. A folder
// with mistakes is not handed out; the learners keep the copy they have,
// and the instructor is told what to fix. A folder that is deleted, moved
// away or cannot be read is not handed out either: the classroom keeps what
// it read last, and the instructor is told once, and again when the folder
// is back.
//
// The folder is opened by its path at every look, not kept open: a folder
// deleted and made again (a fresh copy, a checkout) is a new folder, which
// a handle on the old one would never see.
type lessonFollower struct {
	f       *cmdutil.Factory
	srv     *classroom.Server
	offered lessons.Source
	w       io.Writer // what the classroom hands out
	errW    io.Writer // what keeps it from reading the folder
	stamp   string    // names, sizes and times of the folder's files, last seen
	failed  string    // the mistakes last reported, so each is said once
	still   string    // how many mistakes, and where the first is: "1 mistake, at FILE:LINE:COL"
	sha     string    // the archive the classroom offers now
	away    bool      // the folder could not be read at the last look
	root    *os.Root  // the folder as last handed out, when a look opened it
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
	root, stamp, ok := l.open()
	if !ok {
		return
	}
	if stamp == l.stamp {
		root.Close()
		return
	}
	l.stamp = stamp
	if l.root != nil {
		l.root.Close()
	}
	l.root, l.offered.FS = root, root.FS()
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
			l.failed, l.still = msg, mistakes(err)
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
		time.Now().Format("15:04"), l.offered.Name, cmdutil.Plural(c.From(l.offered), "lesson"), info.SHA256[:12])
}

// open opens the folder by its path and sums it up (folderStamp); ok is
// false when it cannot be read. The instructor is told so once, and again
// when it can be read again.
func (l *lessonFollower) open() (root *os.Root, stamp string, ok bool) {
	now := time.Now().Format("15:04")
	root, err := os.OpenRoot(filepath.FromSlash(l.offered.Name))
	if err == nil {
		if stamp, err = folderStamp(root.FS()); err != nil {
			root.Close()
			if errors.Is(err, fs.ErrNotExist) {
				return nil, "", false // a file went while it was looked at (an editor saving it): the next look sees
			}
		}
	}
	if err != nil {
		if !l.away {
			l.away = true
			why := "is gone: it was deleted or moved away"
			if !errors.Is(err, fs.ErrNotExist) {
				why = fmt.Sprintf("cannot be read: %v", err)
			}
			fmt.Fprintf(l.errW, "\n%s Your lesson folder %s %s. The dashboard keeps serving the lessons it read last, and learners who join get those; when the folder is back, the classroom reads it again.\n",
				now, l.offered.Name, why)
		}
		return nil, "", false
	}
	if l.away {
		l.away = false
		same := ""
		switch {
		case stamp == l.stamp && l.failed != "":
			// As it was is with the mistakes it had: still not handed out.
			same = fmt.Sprintf(", as it was: it still has %s (printed above); learners keep the copy they have until you fix it", l.still)
		case stamp == l.stamp:
			same = ", as it was: the classroom serves the same lessons"
		}
		fmt.Fprintf(l.errW, "\n%s Your lesson folder %s can be read again%s.\n", now, l.offered.Name, same)
	}
	return root, stamp, true
}

// mistakes says how many mistakes err holds and where the first is: "1
// mistake, at FILE:LINE:COL", "3 mistakes, the first at FILE:LINE:COL".
func mistakes(err error) string {
	var list lessons.ErrorList
	switch {
	case !errors.As(err, &list) || len(list) == 0:
		return "the mistake"
	case len(list) == 1:
		return fmt.Sprintf("1 mistake, at %s", list[0].Pos)
	}
	return fmt.Sprintf("%d mistakes, the first at %s", len(list), list[0].Pos)
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
