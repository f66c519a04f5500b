package checker

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dockdojo/dockdojo/internal/fifotest"
	"github.com/dockdojo/dockdojo/sandbox"
)

// TestFileKindsOnEngine covers the kinds that compare files: in the
// workspace, in a Dockerfile's order, and across containers, each once
// passing and once against a near miss.
func TestFileKindsOnEngine(t *testing.T) {
	eng, labels, ctx := onEngine(t, 3*time.Minute)
	id := suffix()
	hello, a, b, stopped := "dojotest-files-hello-"+id, "dojotest-files-a-"+id, "dojotest-files-b-"+id, "dojotest-files-stopped-"+id
	scratch, scratchStopped := "dojotest-files-scratch-"+id, "dojotest-files-scratch-stopped-"+id
	tmpfs := []sandbox.MountSpec{{Type: "tmpfs", Target: "/scratch"}}
	startContainer(t, eng, sandbox.ContainerSpec{Name: hello, Image: "busybox:1.36", Cmd: []string{"sh", "-c", "echo hello from dojo; echo second line"}, Labels: labels})
	startContainer(t, eng, sandbox.ContainerSpec{Name: a, Image: "busybox:1.36", Labels: labels})
	startContainer(t, eng, sandbox.ContainerSpec{Name: b, Image: "busybox:1.36", Labels: labels})
	// docker cp reads a container that has stopped; a file in its tmpfs
	// mount is gone with its memory.
	startContainer(t, eng, sandbox.ContainerSpec{Name: stopped, Image: "busybox:1.36", Cmd: []string{"sh", "-c", "echo 'dojo was here' > /root/visited.txt"}, Labels: labels})
	startContainer(t, eng, sandbox.ContainerSpec{Name: scratch, Image: "busybox:1.36", Labels: labels, Mounts: tmpfs})
	startContainer(t, eng, sandbox.ContainerSpec{Name: scratchStopped, Image: "busybox:1.36", Cmd: []string{"sh", "-c", "echo draft > /scratch/draft.txt"}, Labels: labels, Mounts: tmpfs})
	for name, script := range map[string]string{
		a:       "echo 'dojo was here' > /root/visited.txt; mkdir /root/dir",
		b:       "echo 'dojo was here' > /root/visited.txt; echo 'someone else' > /root/other.txt; ln -s other.txt /root/link.txt",
		scratch: "echo draft > /scratch/draft.txt",
	} {
		if res, err := eng.Exec(ctx, name, []string{"sh", "-c", script}); err != nil || res.ExitCode != 0 {
			t.Fatalf("prepare %s: %v %+v", name, err, res)
		}
	}
	for _, name := range []string{stopped, scratchStopped} {
		must(t, eng.WaitStopped(ctx, name))
	}

	ws := writeFiles(t, map[string]string{
		"hello.log":        "hello from dojo\nsecond line\n",
		"windows.log":      "hello from dojo\r\nsecond line\r\n",
		"short.log":        "hello from dojo\n",
		"copy.log":         "hello from dojo\nsecond line",
		"logs/.keep":       "",
		"pipe/.keep":       "",
		"Dockerfile":       "FROM python:2.7-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
		"lower/dockerfile": "FROM busybox:1.36\n",
		"esc/Dockerfile":   "FROM busybox:1.36\nRUN echo \x1b]0;TITLE\x07\u202eevil\n",
		"slow/Dockerfile":  "FROM python:2.7-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
	})
	must(t, os.Symlink("/etc/hostname", filepath.Join(ws, "escape.log")))
	// A named pipe where a file is asked for: a plain open waits for a
	// writer forever.
	fifotest.Make(t, filepath.Join(ws, "pipe.log"))
	fifotest.Make(t, filepath.Join(ws, "pipe", "Dockerfile"))
	// A Dockerfile outside the workspace, which a link leads to.
	outside := writeFiles(t, map[string]string{"Dockerfile": "FROM busybox:1.36\nCMD [\"outside\"]\n"})
	must(t, os.MkdirAll(filepath.Join(ws, "away"), 0o755))
	must(t, os.Symlink(filepath.Join(outside, "Dockerfile"), filepath.Join(ws, "away", "Dockerfile")))
	// A container of the learner's that binds a folder outside the
	// workspace, and the workspace: a copy reads only through the latter.
	binder := "dojotest-files-binder-" + id
	startContainer(t, eng, sandbox.ContainerSpec{Name: binder, Image: "busybox:1.36", Labels: labels, Mounts: []sandbox.MountSpec{
		{Type: "bind", Source: outside, Target: "/outside", ReadOnly: true}, {Type: "bind", Source: ws, Target: "/inside"}}})
	cache := []string{"COPY requirements", "RUN pip install", `COPY \. \.`}

	tests := []checkCase{
		{"file exists", &WorkspaceFile{Path: "hello.log"}, ""},
		{"file missing", &WorkspaceFile{Path: "nope.log"}, "there is no nope.log in your workspace (" + ws + ")"},
		{"a folder", &WorkspaceFile{Path: "logs"}, "logs in your workspace is a folder, not a file"},
		{"a named pipe", &WorkspaceFile{Path: "pipe.log"}, "pipe.log in your workspace is a named pipe, not a file: remove it (`rm pipe.log`) and write the file there"},
		{"a Dockerfile that is a named pipe", &Dockerfile{File: "pipe/Dockerfile", Instruction: "FROM"}, "pipe/Dockerfile in your workspace is a named pipe, not a file"},
		{"a link out of the workspace", &WorkspaceFile{Path: "escape.log"}, "escape.log in your workspace is a link that leads out of the workspace (" + ws + "), and only what is inside it is read: put the file itself there"},
		{"a Dockerfile through a link out of the workspace", &Dockerfile{File: "away/Dockerfile", Instruction: "CMD", Absent: true}, "away/Dockerfile in your workspace is a link that leads out of the workspace"},
		{"a line that holds escape sequences is shown, not obeyed", &Dockerfile{File: "esc/Dockerfile", Instruction: "RUN", Absent: true}, "`RUN echo \\x1b]0;TITLE\\x07\\u202eevil` should not be there"},
		{"the order of a Dockerfile through a link out", &DockerfileOrder{File: "away/Dockerfile", Steps: []string{"CMD", "FROM"}}, "away/Dockerfile in your workspace is a link that leads out of the workspace"},
		{"contains", &WorkspaceFile{Path: "hello.log", Text: Text{Contains: "from dojo"}}, ""},
		{"does not contain", &WorkspaceFile{Path: "short.log", Text: Text{Contains: "second"}}, `short.log does not contain "second"; it holds "hello from dojo"`},
		{"matches", &WorkspaceFile{Path: "hello.log", Text: Text{Matches: `(?m)^second line$`}}, ""},
		{"does not match", &WorkspaceFile{Path: "short.log", Text: Text{Matches: `(?m)^second`}}, `short.log is not as expected: expected a file with a line that starts with "second"; it holds "hello from dojo"`},
		{"a line of a file with Windows line ends, or of logs made with -t", &WorkspaceFile{Path: "windows.log", Text: Text{Matches: `(?m)^hello from dojo$`}}, ""},
		{"contains across a Windows line end", &WorkspaceFile{Path: "windows.log", Text: Text{Contains: "dojo\nsecond"}}, ""},
		{"equals a file", &WorkspaceFile{Path: "copy.log", EqualsFile: "hello.log"}, ""},
		{"differs from a file", &WorkspaceFile{Path: "short.log", EqualsFile: "hello.log"}, "short.log is not the same as hello.log: they differ from line 2 on"},
		{"equals a missing file", &WorkspaceFile{Path: "short.log", EqualsFile: "gone.log"}, "there is no gone.log in your workspace"},
		{"equals the logs", &WorkspaceFile{Path: "hello.log", EqualsLogs: hello}, ""},
		{"equals the logs, saved on Windows", &WorkspaceFile{Path: "windows.log", EqualsLogs: hello}, ""},
		{"not the logs", &WorkspaceFile{Path: "short.log", EqualsLogs: hello}, "short.log is not what container " + hello + " printed: they differ from line 2 on"},
		{"logs of a missing container", &WorkspaceFile{Path: "hello.log", EqualsLogs: hello + "-gone"}, "there is no container named " + hello + "-gone"},
		{"order", &DockerfileOrder{Steps: cache}, ""},
		{"order wrong", &DockerfileOrder{File: "slow/Dockerfile", Steps: cache}, "slow/Dockerfile has no COPY matching requirements"},
		{"order reversed", &DockerfileOrder{Steps: []string{`COPY \. \.`, "RUN pip install"}}, "in Dockerfile, line 4 `RUN pip install -r requirements.txt` comes before line 5 `COPY . .`"},
		{"order with one for two steps", &DockerfileOrder{Steps: []string{"RUN", "RUN"}}, "Dockerfile has one RUN instruction, line 4"},
		{"a Dockerfile named in another case", &Dockerfile{File: "lower/Dockerfile", Instruction: "FROM"}, "there is no lower/Dockerfile in your workspace (" + ws + "), but there is lower/dockerfile: name it Dockerfile, as written"},
		{"order of a missing file", &DockerfileOrder{File: "nope/Dockerfile", Steps: cache}, "there is no nope/Dockerfile in your workspace"},
		{"files equal", &ContainerFilesEqual{Container: a, Path: "/root/visited.txt", OtherContainer: b}, ""},
		{"files differ", &ContainerFilesEqual{Container: a, Path: "/root/visited.txt", OtherContainer: b, OtherPath: "/root/other.txt"}, "/root/visited.txt in " + a + " and /root/other.txt in " + b + " differ from line 1 on (14 and 13 bytes)"},
		{"file missing in one", &ContainerFilesEqual{Container: b, Path: "/root/other.txt", OtherContainer: a}, "container " + a + " has no file /root/other.txt"},
		{"a folder in one", &ContainerFilesEqual{Container: a, Path: "/root/dir", OtherContainer: b}, "/root/dir in container " + a + " is a folder, not a file"},
		{"a stopped container", &ContainerFilesEqual{Container: a, Path: "/root/visited.txt", OtherContainer: stopped}, ""},
		{"a file", &ContainerFile{Container: a, Path: "/root/visited.txt", Text: Text{Contains: "dojo was here"}}, ""},
		{"a file that holds something else", &ContainerFile{Container: b, Path: "/root/other.txt", Text: Text{Contains: "dojo was here"}}, `/root/other.txt in container ` + b + ` does not contain "dojo was here"; it holds "someone else"`},
		{"a file of a stopped container", &ContainerFile{Container: stopped, Path: "/root/visited.txt", Text: Text{Equals: new("dojo was here")}}, ""},
		{"no file", &ContainerFile{Container: stopped, Path: "/root/other.txt"}, "container " + stopped + " has no file /root/other.txt"},
		{"a folder", &ContainerFile{Container: a, Path: "/root/dir"}, "/root/dir in container " + a + " is a folder, not a file"},
		{"a link, followed inside the container", &ContainerFile{Container: b, Path: "/root/link.txt", Text: Text{Contains: "someone else"}}, ""},
		{"a file in a tmpfs mount, read inside the container", &ContainerFile{Container: scratch, Path: "/scratch/draft.txt", Text: Text{Contains: "draft"}}, ""},
		{"a file in the tmpfs mount of a stopped container", &ContainerFile{Container: scratchStopped, Path: "/scratch/draft.txt"}, "container " + scratchStopped + " is exited with exit code 0 (`docker logs " + scratchStopped + "` says why), so its file /scratch/draft.txt cannot be read: it is in the tmpfs mount /scratch"},
		{"a missing container", &ContainerFile{Container: a + "-gone", Path: "/root/visited.txt"}, "there is no container named " + a + "-gone"},
		{"a file of the workspace, bound in", &ContainerFile{Container: binder, Path: "/inside/hello.log", Text: Text{Contains: "second line"}}, ""},
		{"a file of a folder outside the workspace, bound in", &ContainerFile{Container: binder, Path: "/outside/Dockerfile"},
			"dockdojo will not read /outside/Dockerfile in " + binder + ": it lies in " + outside + ", a folder of yours outside this exercise's workspace " + ws + ", which the container binds at /outside; if this container is the exercise's, remove it (`docker rm -f " + binder + "`) and run it again binding only folders of the workspace"},
	}
	runCases(t, ctx, Env{Target: eng, Workspace: ws, Labels: labels}, tests)
}

func TestFileKindsValidate(t *testing.T) {
	runValidateCases(t, []validateCase{
		{"workspace paths", &WorkspaceFile{Path: "/etc/passwd", EqualsFile: "../x"}, []string{"path: relative path inside the workspace", "equals_file: relative path inside the workspace"}},
		{"both comparisons", &WorkspaceFile{Path: "a.txt", EqualsFile: "b.txt", EqualsLogs: "dojo-x"}, []string{"equals_logs: either equals_file or equals_logs"}},
		{"equal to itself", &WorkspaceFile{Path: "a.txt", EqualsFile: "a.txt"}, []string{"equals_file: names the file itself"}},
		{"bad pattern", &WorkspaceFile{Path: "a.txt", Text: Text{Matches: "("}}, []string{"matches: not a valid regular expression"}},
		{"one step", &DockerfileOrder{Steps: []string{"RUN"}}, []string{"steps: an order needs two or more"}},
		{"a step that is no instruction", &DockerfileOrder{Steps: []string{"COPY x", "INSTALL y", "RUN ("}}, []string{"steps: start it with a Dockerfile instruction", "steps: not a valid regular expression"}},
		{"relative container path", &ContainerFilesEqual{Container: "a", Path: "root/x", OtherContainer: "b"}, []string{"path: absolute path"}},
		{"a file with itself", &ContainerFilesEqual{Container: "a", Path: "/x", OtherContainer: "a"}, []string{"other_container: with itself"}},
		{"a file in /proc", &ContainerFile{Container: "a", Path: "/proc/1/comm"}, []string{"path: ask with an exec check"}},
		{"logs with nothing asked", &ContainerLogs{Container: "a"}, []string{": needs \"contains\""}},
		{"logs asked twice", &ContainerLogs{Container: "a", Contains: "x", Equals: new("x")}, []string{"equals: either contains or equals"}},
		{"the root", &ContainerFile{Container: "a", Path: "/"}, []string{"path: absolute path"}},
		{"relative path, bad pattern", &ContainerFile{Container: "a", Path: "root/x", Text: Text{Matches: "("}}, []string{"path: absolute path", "matches: not a valid regular expression"}},
	})
}

// writeFiles writes files (slash paths to contents) into a new folder and
// returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(data), 0o644))
	}
	return dir
}

// TestDockerfileTitleForItsPattern: a dockerfile check whose instruction
// is not found says what it looks for in the words of its title, when the
// lesson gave one, not in its regular expression, which the learner did
// not write and need not read.
func TestDockerfileTitleForItsPattern(t *testing.T) {
	ws := writeFiles(t, map[string]string{"Dockerfile": "FROM debian:bookworm-slim\nRUN apt install -y /tmp/x.deb\n"})
	spec := &Dockerfile{Instruction: "RUN", Matches: `\bapt-get\s+install\b`}
	for _, tc := range []struct{ title, want string }{
		{"", "Dockerfile has no RUN matching \\bapt-get\\s+install\\b; found line 2: RUN apt install -y /tmp/x.deb"},
		{"Dockerfile installs the package with apt-get", "expected that Dockerfile installs the package with apt-get, and no RUN instruction of Dockerfile does; found line 2: RUN apt install -y /tmp/x.deb"},
	} {
		res, err := Run(t.Context(), Env{Workspace: ws}, []Check{{Kind: "dockerfile", Spec: spec, Title: tc.title}})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Outcomes[0].Message; got != tc.want {
			t.Errorf("title %q: message\n%s\nwant\n%s", tc.title, got, tc.want)
		}
	}
}
