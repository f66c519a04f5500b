package lessons

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/distribution/reference"
	"gopkg.in/yaml.v3"

	"github.com/dockdojo/dockdojo/sandbox"
)

// The lesson format has no list of the images an exercise needs: they are
// already written in it, in the sandbox, in the checks, and in the shell the
// reference solution and the wrong attempts type. `dockdojo prepare` and
// `dockdojo doctor` need that list before the day, so Images reads it from
// those places, recognising only what it can be sure of:
//
//   - sandbox.image, and the image of every check that names one;
//   - in scripts, the image of `docker run`, `docker create` and
//     `docker pull` (and their `docker container ...`/`docker image ...`
//     forms), when it is written with a tag or a digest (busybox:1.36,
//     not busybox) and holds no shell variable;
//   - FROM and COPY --from in Dockerfiles (starter files named like a
//     Dockerfile, and here-documents in scripts whose first instruction is
//     FROM or ARG), skipping build stages and scratch;
//   - image: of Compose services without build:, in starter files named like
//     a Compose file and in here-documents that are a Compose file.
//
// Images that the course builds or tags itself (docker build -t, docker tag,
// docker commit, docker import, Compose services with build:, owns.images)
// are not fetched from anywhere and are left out, wherever in the course
// they are built. A script that computes an image name, or runs an image
// without a tag, is not understood; such an image can be named on the
// command line (`dockdojo prepare --image REF`).

// ImageNeed is an image the course uses and does not build, with the
// exercises that use it.
type ImageNeed struct {
	Ref       string   // as the lesson writes it, e.g. "httpd:2.4"
	Exercises []string // keys of the exercises that use it, in course order
}

// Images lists the images the course's exercises need from a registry, in
// the order they are first used. The probe image that checks run is not
// among them unless a lesson names it: it is the checker's to add.
func (c *Course) Images() []ImageNeed {
	built := map[string]bool{}
	type use struct {
		ref string
		ex  *Exercise
	}
	var uses []use
	for _, ex := range c.Exercises() {
		found := ex.scanImages()
		for _, b := range found.built {
			built[normalizeImageRef(b)] = true
		}
		for _, u := range found.used {
			uses = append(uses, use{u, ex})
		}
	}
	var out []ImageNeed
	index := map[string]int{}
	for _, u := range uses {
		key := normalizeImageRef(u.ref)
		if built[key] {
			continue
		}
		i, seen := index[key]
		if !seen {
			i = len(out)
			index[key] = i
			out = append(out, ImageNeed{Ref: u.ref})
		}
		if k := u.ex.Key(); !slices.Contains(out[i].Exercises, k) {
			out[i].Exercises = append(out[i].Exercises, k)
		}
	}
	return out
}

// scanImages finds the images the exercise uses and those it builds: what
// the lesson file says (scriptImages) and what its starter files say.
func (ex *Exercise) scanImages() imageScan {
	found := ex.scriptImages()
	found.used, found.built = slices.Clone(found.used), slices.Clone(found.built)
	if ex.Lesson != nil && ex.Lesson.FS != nil {
		for _, w := range ex.Workspace {
			found.starter(ex.Lesson.FS, path.Join(ex.Lesson.Dir, w))
		}
	}
	return found
}

// scriptImages is the part of an exercise's scan that its lesson file alone
// decides (the sandbox, the checks, the scripts, owns.images). Parsing works
// it out once and the course cache keeps it: reading every script of the
// course again costs a command more than the rest of its load.
func (ex *Exercise) scriptImages() imageScan {
	if ex.scripts != nil {
		return *ex.scripts
	}
	var found imageScan
	if ex.Sandbox != nil && ex.Sandbox.Image != "" {
		found.use(ex.Sandbox.Image)
	}
	for _, ch := range ex.Checks {
		for _, o := range ch.Objects() {
			if o.Type == "image" {
				found.use(o.Name)
			}
		}
	}
	found.script(ex.Solution)
	for _, w := range ex.Wrong {
		found.script(w.Script)
		found.script(w.Cleanup)
	}
	for _, ref := range ex.Owns.Images {
		found.build(ref)
	}
	return found
}

// normalizeImageRef writes a reference one way for comparisons:
// docker.io/library/busybox and busybox are the same image, and no tag
// means latest.
func normalizeImageRef(ref string) string {
	ref = strings.TrimPrefix(ref, "docker.io/")
	ref = strings.TrimPrefix(ref, "index.docker.io/")
	ref = strings.TrimPrefix(ref, "library/")
	name := ref
	if i := strings.IndexByte(name, '@'); i >= 0 {
		return ref
	}
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if !strings.Contains(name, ":") {
		ref += ":latest"
	}
	return ref
}

// validRef reports whether ref is an image reference as the docker CLI
// reads one.
func validRef(ref string) bool {
	_, err := reference.ParseNormalizedNamed(ref)
	return err == nil
}

// pinnedRef reports whether ref is a valid reference with a tag or a digest,
// the only kind a script is trusted to name.
func pinnedRef(ref string) bool { return sandbox.PinnedImage(ref) == nil }

// imageScan collects the images found in one exercise.
type imageScan struct {
	used, built []string
}

func (s *imageScan) use(ref string) {
	if ref != "" && !slices.Contains(s.used, ref) {
		s.used = append(s.used, ref)
	}
}

func (s *imageScan) build(ref string) {
	if ref != "" {
		s.built = append(s.built, ref)
	}
}

// starter reads a starter file (or every file of a starter folder) that is
// a Dockerfile or a Compose file.
func (s *imageScan) starter(fsys fs.FS, name string) {
	_ = fs.WalkDir(fsys, name, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		switch {
		case isDockerfileName(path.Base(p)):
			if data, err := fs.ReadFile(fsys, p); err == nil {
				s.dockerfile(string(data))
			}
		case isComposeName(path.Base(p)):
			if data, err := fs.ReadFile(fsys, p); err == nil {
				s.compose(string(data))
			}
		}
		return nil
	})
}

func isDockerfileName(base string) bool {
	lower := strings.ToLower(base)
	return lower == "dockerfile" || lower == "containerfile" ||
		strings.HasPrefix(lower, "dockerfile.") || strings.HasSuffix(lower, ".dockerfile")
}

func isComposeName(base string) bool {
	switch strings.ToLower(base) {
	case "compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml":
		return true
	}
	return false
}

// dockerfile finds the images a Dockerfile builds from.
func (s *imageScan) dockerfile(text string) {
	stages := map[string]bool{}
	for _, line := range logicalLines(text) {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		switch strings.ToUpper(fields[0]) {
		case "FROM":
			args := fields[1:]
			for len(args) > 0 && strings.HasPrefix(args[0], "--") {
				args = args[1:]
			}
			if len(args) == 0 {
				continue
			}
			ref := args[0]
			if len(args) >= 3 && strings.EqualFold(args[1], "AS") {
				stages[strings.ToLower(args[2])] = true
			}
			if ref != "scratch" && !stages[strings.ToLower(ref)] && validRef(ref) {
				s.use(ref)
			}
		case "COPY", "ADD":
			for _, f := range fields[1:] {
				ref, ok := strings.CutPrefix(f, "--from=")
				if !ok {
					continue
				}
				if !stages[strings.ToLower(ref)] && !isDigits(ref) && validRef(ref) {
					s.use(ref)
				}
			}
		}
	}
}

// logicalLines joins lines continued with a backslash and drops comments.
func logicalLines(text string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && strings.HasPrefix(trimmed, "#") {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\"))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(trimmed)
		out = append(out, cur.String())
		cur.Reset()
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// compose finds the images a Compose file runs, and the ones it builds.
func (s *imageScan) compose(text string) {
	var file struct {
		Services map[string]struct {
			Image string `yaml:"image"`
			Build any    `yaml:"build"`
		} `yaml:"services"`
	}
	if yaml.Unmarshal([]byte(text), &file) != nil {
		return
	}
	names := make([]string, 0, len(file.Services))
	for n := range file.Services {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		svc := file.Services[n]
		switch {
		case svc.Image == "" || strings.Contains(svc.Image, "$"):
		case svc.Build != nil:
			s.build(svc.Image)
		case validRef(svc.Image):
			s.use(svc.Image)
		}
	}
}

// isComposeText reports whether text is YAML with a services map.
func isComposeText(text string) bool {
	var file map[string]any
	if yaml.Unmarshal([]byte(text), &file) != nil {
		return false
	}
	_, ok := file["services"].(map[string]any)
	return ok
}

// isDockerfileText reports whether the first instruction of text is FROM or
// ARG, as a Dockerfile's must be.
func isDockerfileText(text string) bool {
	for _, line := range logicalLines(text) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		first := strings.ToUpper(f[0])
		return (first == "FROM" || first == "ARG") && len(f) > 1
	}
	return false
}

// heredocRE finds the start of a here-document: <<EOF, <<'EOF', <<-"EOF".
var heredocRE = regexp.MustCompile(`<<(-?)\s*(?:'([A-Za-z_][A-Za-z0-9_]*)'|"([A-Za-z_][A-Za-z0-9_]*)"|\\?([A-Za-z_][A-Za-z0-9_]*))`)

// script finds the images a shell script uses and builds: here-documents
// that are Dockerfiles or Compose files are read as such, and the rest as
// shell commands.
func (s *imageScan) script(text string) {
	if text == "" {
		return
	}
	var shell []string
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		shell = append(shell, line)
		m := heredocRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		delim := m[2] + m[3] + m[4]
		var body []string
		for i++; i < len(lines); i++ {
			l := lines[i]
			if m[1] == "-" {
				l = strings.TrimLeft(l, "\t")
			}
			if l == delim {
				break
			}
			body = append(body, lines[i])
		}
		doc := strings.Join(body, "\n")
		switch {
		case isDockerfileText(doc):
			s.dockerfile(doc)
		case isComposeText(doc):
			s.compose(doc)
		}
	}
	for _, cmd := range shellCommands(strings.Join(shell, "\n")) {
		s.dockerCommand(cmd)
	}
}

// word is one shell word with its quotes removed; dynamic when it holds an
// unquoted or double-quoted $ or a backquote, so its value is not known.
type word struct {
	text    string
	dynamic bool
}

// shellCommands splits a script into simple commands, each a list of
// words: it follows quotes, backslash-newline and the operators ; & | && ||
// ( ) and newlines. It is no shell, only enough of one to read the docker
// commands a lesson types.
func shellCommands(text string) [][]word {
	var cmds [][]word
	var cur []word
	var w strings.Builder
	inWord, dynamic := false, false
	endWord := func() {
		if inWord {
			cur = append(cur, word{w.String(), dynamic})
		}
		w.Reset()
		inWord, dynamic = false, false
	}
	endCmd := func() {
		endWord()
		if len(cur) > 0 {
			cmds = append(cmds, cur)
		}
		cur = nil
	}
	r := []rune(text)
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c == '\\' && i+1 < len(r):
			i++
			if r[i] != '\n' {
				w.WriteRune(r[i])
				inWord = true
			}
		case c == '\'':
			inWord = true
			for i++; i < len(r) && r[i] != '\''; i++ {
				w.WriteRune(r[i])
			}
		case c == '"':
			inWord = true
			for i++; i < len(r) && r[i] != '"'; i++ {
				if r[i] == '\\' && i+1 < len(r) {
					i++
				}
				if r[i] == '$' || r[i] == '`' {
					dynamic = true
				}
				w.WriteRune(r[i])
			}
		case c == '#' && !inWord:
			for i < len(r) && r[i] != '\n' {
				i++
			}
			endCmd()
		case c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')':
			endCmd()
		case c == ' ' || c == '\t':
			endWord()
		default:
			if c == '$' || c == '`' {
				dynamic = true
			}
			w.WriteRune(c)
			inWord = true
		}
	}
	endCmd()
	return cmds
}

// dockerGlobalValueFlags are the docker CLI's own options that take a value.
var dockerGlobalValueFlags = []string{"-H", "--host", "-c", "--context", "--config", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey"}

// Boolean flags of the commands whose image is read; every other flag takes
// a value. Short ones are single letters that may be grouped (-dit).
var (
	runBoolFlags   = []string{"--detach", "--disable-content-trust", "--help", "--init", "--interactive", "--no-healthcheck", "--oom-kill-disable", "--privileged", "--publish-all", "--quiet", "--read-only", "--rm", "--sig-proxy", "--tty", "--use-api-socket"}
	runBoolShort   = "diPqt"
	pullBoolFlags  = []string{"--all-tags", "--disable-content-trust", "--help", "--quiet"}
	pullBoolShort  = "aq"
	buildBoolFlags = []string{"--compress", "--disable-content-trust", "--force-rm", "--help", "--load", "--no-cache", "--pull", "--push", "--quiet", "--rm", "--squash"}
	buildBoolShort = "q"
	otherBoolFlags = []string{"--help", "--pause", "--quiet"}
	otherBoolShort = "pq"
)

// dockerCommand reads one simple command: the images a docker command runs,
// pulls or builds from, and the ones it makes.
func (s *imageScan) dockerCommand(words []word) {
	// Skip variable assignments and wrappers before the command.
	for len(words) > 0 && (strings.Contains(words[0].text, "=") && !strings.HasPrefix(words[0].text, "-") ||
		slices.Contains([]string{"sudo", "exec", "command", "time", "!"}, words[0].text)) {
		words = words[1:]
	}
	if len(words) == 0 || words[0].text != "docker" || words[0].dynamic {
		return
	}
	args := words[1:]
	for len(args) > 0 && strings.HasPrefix(args[0].text, "-") {
		f := args[0].text
		args = args[1:]
		if slices.Contains(dockerGlobalValueFlags, f) && len(args) > 0 {
			args = args[1:]
		}
	}
	if len(args) == 0 {
		return
	}
	verb := args[0].text
	args = args[1:]
	if (verb == "container" || verb == "image" || verb == "buildx" || verb == "builder") && len(args) > 0 {
		verb = verb + " " + args[0].text
		args = args[1:]
	}
	switch verb {
	case "run", "create", "container run", "container create":
		if pos, _ := parseFlags(args, runBoolFlags, runBoolShort, 1); len(pos) > 0 && !pos[0].dynamic && pinnedRef(pos[0].text) {
			s.use(pos[0].text)
		}
	case "pull", "image pull":
		if pos, _ := parseFlags(args, pullBoolFlags, pullBoolShort, 1); len(pos) > 0 && !pos[0].dynamic && pinnedRef(pos[0].text) {
			s.use(pos[0].text)
		}
	case "build", "image build", "buildx build", "builder build":
		_, flags := parseFlags(args, buildBoolFlags, buildBoolShort, -1)
		for _, f := range flags {
			if (f.name == "-t" || f.name == "--tag") && !f.value.dynamic {
				s.build(f.value.text)
			}
		}
	case "tag", "image tag":
		pos, _ := parseFlags(args, otherBoolFlags, otherBoolShort, -1)
		if len(pos) == 2 {
			if !pos[0].dynamic && pinnedRef(pos[0].text) {
				s.use(pos[0].text)
			}
			if !pos[1].dynamic {
				s.build(pos[1].text)
			}
		}
	case "commit", "container commit", "import", "image import":
		pos, _ := parseFlags(args, otherBoolFlags, otherBoolShort, -1)
		if len(pos) == 2 && !pos[1].dynamic {
			s.build(pos[1].text)
		}
	}
}

// flag is one option of a command line with its value ("" for a boolean).
type flag struct {
	name  string
	value word
}

// parseFlags reads options the way the docker CLI (pflag) does: --name=value,
// --name value, -n value, -nvalue, grouped booleans -dit. It stops after
// max positional arguments (max < 0: reads all), returning them and the
// options seen.
func parseFlags(args []word, bools []string, shortBools string, max int) (pos []word, flags []flag) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a.text == "--":
			for _, rest := range args[i+1:] {
				if max >= 0 && len(pos) == max {
					return pos, flags
				}
				pos = append(pos, rest)
			}
			return pos, flags
		case strings.HasPrefix(a.text, "--"):
			if name, value, ok := strings.Cut(a.text, "="); ok {
				flags = append(flags, flag{name, word{value, a.dynamic}})
				continue
			}
			if slices.Contains(bools, a.text) || i+1 == len(args) {
				flags = append(flags, flag{name: a.text})
				continue
			}
			i++
			flags = append(flags, flag{a.text, args[i]})
		case strings.HasPrefix(a.text, "-") && len(a.text) > 1:
			letters := a.text[1:]
		short:
			for j := 0; j < len(letters); j++ {
				name := "-" + letters[j:j+1]
				if strings.IndexByte(shortBools, letters[j]) >= 0 {
					flags = append(flags, flag{name: name})
					continue
				}
				// A letter that takes a value takes the rest of the word,
				// or else the next word.
				switch {
				case j+1 < len(letters):
					flags = append(flags, flag{name, word{strings.TrimPrefix(letters[j+1:], "="), a.dynamic}})
				case i+1 < len(args):
					i++
					flags = append(flags, flag{name, args[i]})
				}
				break short
			}
		default:
			if max >= 0 && len(pos) == max {
				return pos, flags
			}
			pos = append(pos, a)
			if max >= 0 && len(pos) == max {
				return pos, flags
			}
		}
	}
	return pos, flags
}
