package content_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/dockdojo/dockdojo/internal/mdblock"

	"github.com/moby/buildkit/frontend/dockerfile/command"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/content"
	"github.com/dockdojo/dockdojo/sandbox/sandboxtest"
)

// dockerfileExample is one Dockerfile the course shows or hands out: a
// fenced ```dockerfile block of a lesson, or a starter Dockerfile.
type dockerfileExample struct {
	file string // path in content.FS()
	line int    // line of file where the Dockerfile's first line is
	text string
	// dir is the folder of a starter Dockerfile in content.FS(), its build
	// context; "" for a lesson's block.
	dir string
}

func (ex dockerfileExample) where(line int) string {
	return fmt.Sprintf("content/course/%s:%d", ex.file, ex.line+line-1)
}

// courseDockerfiles finds every Dockerfile example of the built-in course.
func courseDockerfiles(t *testing.T) []dockerfileExample {
	t.Helper()
	var found []dockerfileExample
	err := fs.WalkDir(content.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(content.FS(), p)
		if err != nil {
			return err
		}
		switch {
		case path.Base(p) == "Dockerfile":
			found = append(found, dockerfileExample{file: p, line: 1, text: string(src), dir: path.Dir(p)})
		case strings.HasSuffix(p, ".md"):
			found = append(found, fencedDockerfiles(p, src)...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) == 0 {
		t.Fatal("found no Dockerfile example in the course")
	}
	return found
}

// fencedDockerfiles returns the ```dockerfile blocks of a Markdown file.
func fencedDockerfiles(file string, src []byte) []dockerfileExample {
	var found []dockerfileExample
	for _, b := range mdblock.Fenced(src) {
		if strings.EqualFold(b.Language(), "dockerfile") && b.Body != "" {
			found = append(found, dockerfileExample{file: file, line: b.Line + 1, text: b.Body})
		}
	}
	return found
}

// TestDockerfileExamplesParse holds every Dockerfile of the course to what
// Docker's own parser accepts, and rejects a comment after an instruction:
// a Dockerfile comment starts only at the beginning of a line, so in
// `COPY . .   # your code` the words "#", "your" and "code" are three more
// files to copy, and the build fails. Only RUN hands them to a shell, which
// does read them as a comment.
func TestDockerfileExamplesParse(t *testing.T) {
	for _, ex := range courseDockerfiles(t) {
		t.Run(ex.where(1), func(t *testing.T) {
			res, err := parser.Parse(strings.NewReader(ex.text))
			if err != nil {
				t.Fatalf("%s: the Dockerfile parser refuses it: %v", ex.where(1), err)
			}
			for _, w := range res.Warnings {
				line := 1
				if w.Location != nil {
					line = w.Location.Start.Line
				}
				t.Errorf("%s: %s", ex.where(line), w.Short)
			}
			for _, n := range res.AST.Children {
				if _, known := command.Commands[strings.ToLower(n.Value)]; !known {
					t.Errorf("%s: %q is not a Dockerfile instruction", ex.where(n.StartLine), strings.ToUpper(n.Value))
					continue
				}
				if strings.EqualFold(n.Value, command.Run) {
					continue
				}
				if c := trailingComment(n.Original[len(n.Value):], res.EscapeToken); c != "" {
					t.Errorf("%s: %q is not a comment but more arguments of %s; put the comment on a line of its own, above the instruction",
						ex.where(n.StartLine), c, strings.ToUpper(n.Value))
				}
			}
		})
	}
}

// trailingComment returns what follows a "#" that starts a word outside
// quotes in an instruction's arguments, or "".
func trailingComment(args string, escape rune) string {
	rs := []rune(args)
	var quote rune
	wordStart := true
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == escape && quote != '\'':
			i++ // the escaped character is part of the word
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#' && wordStart:
			return strings.TrimSpace(string(rs[i:]))
		}
		wordStart = unicode.IsSpace(r)
	}
	return ""
}

// notBuiltOffline names the complete Dockerfile examples that cannot be
// built without the internet, by the lesson file and a line they contain,
// with the reason. An entry that matches no example fails the test, so the
// list cannot outlive the examples.
var notBuiltOffline = map[[2]string]string{
	{"dockerfiles/dockerfiles.md", "RUN pip install -r requirements.txt"}: "pip install downloads the packages named in requirements.txt",
}

// TestDockerfileExamplesBuild builds, on the real engine and offline, every
// starter Dockerfile in its own folder, and every lesson example that is a
// whole Dockerfile (one that starts FROM an image), in a context holding,
// for each file it copies, the file of that name the lesson hands out, or
// an empty one.
func TestDockerfileExamplesBuild(t *testing.T) {
	examples := courseDockerfiles(t)
	engine := sandboxtest.Engine(t)
	labels := sandboxtest.Labels(t)
	used := map[[2]string]bool{}
	for i, ex := range examples {
		t.Run(ex.where(1), func(t *testing.T) {
			res, err := parser.Parse(strings.NewReader(ex.text))
			if err != nil {
				t.Skipf("does not parse; TestDockerfileExamplesParse says why")
			}
			dir := t.TempDir()
			switch {
			case ex.dir != "":
				sub, err := fs.Sub(content.FS(), ex.dir)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.CopyFS(dir, sub); err != nil {
					t.Fatal(err)
				}
			case len(res.AST.Children) == 0 || !strings.EqualFold(res.AST.Children[0].Value, command.From):
				t.Skip("a part of a Dockerfile, not a whole one: parsed only")
			default:
				for key, why := range notBuiltOffline {
					if key[0] == ex.file && strings.Contains(ex.text, key[1]) {
						used[key] = true
						t.Skipf("not built offline: %s", why)
					}
				}
				if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(ex.text), 0o644); err != nil {
					t.Fatal(err)
				}
				for _, src := range copySources(res.AST) {
					p := filepath.Join(dir, filepath.FromSlash(src))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, handedOut(t, path.Dir(ex.file), src), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			tag := fmt.Sprintf("dojo-content-example-%d:test", i)
			if err := engine.Build(ctx, dir, ".", "Dockerfile", tag, labels); err != nil {
				t.Errorf("%s does not build: %v", ex.where(1), err)
			}
		})
	}
	for key := range notBuiltOffline {
		if !used[key] {
			t.Errorf("notBuiltOffline names %s %q, which matches no Dockerfile example any more; remove the entry", key[0], key[1])
		}
	}
}

// handedOut is the file the lesson in folder dir hands out under the name
// src (a starter file of that name in a folder of the lesson), so that an
// example that installs a package it copies builds with the real package;
// nil (an empty file) when there is none.
func handedOut(t *testing.T, dir, src string) []byte {
	t.Helper()
	var data []byte
	err := fs.WalkDir(content.FS(), dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || data != nil || path.Base(p) != path.Base(src) || !strings.HasSuffix(p, "/"+src) {
			return err
		}
		data, err = fs.ReadFile(content.FS(), p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// plainFile is a COPY or ADD source that names one file of the context.
var plainFile = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_./-]*$`)

// copySources lists the files of the build context that the COPY and ADD
// instructions name (not ".", patterns, URLs or other stages).
func copySources(root *parser.Node) []string {
	var files []string
	for _, n := range root.Children {
		if !strings.EqualFold(n.Value, command.Copy) && !strings.EqualFold(n.Value, command.Add) {
			continue
		}
		if hasFlag(n.Flags, "--from") {
			continue
		}
		var args []string
		for a := n.Next; a != nil; a = a.Next {
			args = append(args, a.Value)
		}
		for _, src := range args[:max(len(args)-1, 0)] {
			if plainFile.MatchString(src) && src != "." {
				files = append(files, path.Clean(src))
			}
		}
	}
	return files
}

func hasFlag(flags []string, name string) bool {
	for _, f := range flags {
		if f == name || strings.HasPrefix(f, name+"=") {
			return true
		}
	}
	return false
}

// TestInstallChecksTakeEveryRightForm holds the Dockerfile checks of the
// exercises that install dojo-motd to what their goals allow: apt-get with
// its options in any place, in shell or exec form (and, in multi-stage,
// whose goal only asks for a Debian build stage, dpkg too) passes, and
// what the goals forbid fails. These checks read only the workspace, so
// this needs no engine; the self-test proves the rest.
func TestInstallChecksTakeEveryRightForm(t *testing.T) {
	course := loadCourse(t)
	const deb = "/tmp/dojo-motd_1.0_all.deb"
	aptGet := func(run string) string {
		return "FROM debian:bookworm-slim\nCOPY dojo-motd_1.0_all.deb /tmp/\n" + run + "\nCMD [\"dojo-motd\"]\n"
	}
	small := func(run string) string {
		return "FROM debian:bookworm-slim AS build\nCOPY dojo-motd_1.0_all.deb /tmp/\n" + run +
			"\n\nFROM busybox:1.36\nCOPY --from=build /usr/bin/dojo-motd /usr/local/bin/dojo-motd\nCMD [\"dojo-motd\"]\n"
	}
	right := []string{
		"RUN apt-get install -y " + deb,
		"RUN apt-get -y install " + deb,
		"RUN apt-get -q -y --no-install-recommends install " + deb,
		"RUN apt-get -o Dpkg::Use-Pty=0 install -y " + deb,
		"RUN DEBIAN_FRONTEND=noninteractive apt-get install -y " + deb,
		"RUN apt-get install -y \\\n    " + deb,
		`RUN ["apt-get", "install", "-y", "` + deb + `"]`,
		`RUN ["apt-get", "-y", "install", "` + deb + `"]`,
		"RUN apt-get update && apt-get install -y " + deb,
	}
	wrong := []string{
		"RUN apt install -y " + deb,
		"RUN apt-get update; apt install -y " + deb,
		"RUN dpkg -i " + deb,
		"RUN apt-get --no-install-recommends upgrade",
		"RUN apt-get reinstall -y " + deb,
		"RUN echo apt-get",
	}
	for _, tc := range []struct {
		exercise, file string
		dockerfile     func(string) string
		right, wrong   []string
	}{
		{"dockerfiles/apt-get", "motd/Dockerfile", aptGet, right, wrong},
		{"dockerfiles/multi-stage", "small/Dockerfile", small, append(slices.Clip(right),
			"RUN dpkg -i "+deb,
			"RUN dpkg --install "+deb,
			`RUN ["dpkg", "-i", "`+deb+`"]`,
			"RUN dpkg-deb -x "+deb+" /", // the goal asks for the program from a Debian stage, not for a package manager
		), nil},
	} {
		ex, err := course.Exercise(tc.exercise)
		if err != nil {
			t.Fatal(err)
		}
		var checks []checker.Check
		for _, c := range ex.Checks {
			if c.Kind == "dockerfile" || c.Kind == "dockerfile_order" {
				checks = append(checks, c)
			}
		}
		if len(checks) == 0 {
			t.Fatalf("%s has no Dockerfile check", tc.exercise)
		}
		verdict := func(run string) checker.Result {
			ws := t.TempDir()
			p := filepath.Join(ws, filepath.FromSlash(tc.file))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(tc.dockerfile(run)), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := checker.Run(t.Context(), checker.Env{Workspace: ws}, checks)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		for _, run := range tc.right {
			if f := verdict(run).FirstFailure(); f != nil {
				t.Errorf("%s: a right Dockerfile with %q fails %q: %s", tc.exercise, run, f.Title, f.Message)
			}
		}
		for _, run := range tc.wrong {
			if verdict(run).Passed() {
				t.Errorf("%s: a wrong Dockerfile with %q passes the Dockerfile checks", tc.exercise, run)
			}
		}
	}
}
