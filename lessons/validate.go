package lessons

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/distribution/reference"
	"gopkg.in/yaml.v3"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/sandbox"
)

var (
	slugRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	dockerRE  = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)
	mappingRE = regexp.MustCompile(`^[0-9]{1,5}:[0-9]{1,5}(/(tcp|udp))?$`)
	capRE     = regexp.MustCompile(`^[A-Z][A-Z_]*$`)
)

func (p *parser) validateFrontMatter(fm *frontMatter, n *yaml.Node, base int) {
	at := func(key string) Pos { return p.fieldAt(n, key, base, Pos{File: p.file, Line: 1, Col: 1}) }
	bad := func(key string) bool { return p.quiet(n, key, base) }
	switch {
	case bad("format_version"):
	case mapValue(n, "format_version") == nil:
		p.errs.add(at("format_version"), "missing format_version: add \"format_version: %d\"", FormatVersion)
	case fm.FormatVersion > FormatVersion:
		// parse says so, and nothing else of the file.
	case fm.FormatVersion < 1:
		p.errs.add(at("format_version"), "format_version must be 1 or more: write \"format_version: %d\"", FormatVersion)
	}
	if !bad("id") {
		p.slug(fm.ID, "id", at("id"), "the lesson")
	}
	p.oneLine(fm.Title, at("title"), bad("title"),
		"missing title: add \"title: ...\", shown in menus and as the heading",
		"title must be one line: it is the lesson's line in the menu and its heading; say more in the summary")
	p.oneLine(fm.Summary, at("summary"), bad("summary"),
		"missing summary: add \"summary: ...\", one sentence for the lesson menu",
		"summary must be one line, one sentence for the lesson menu; put the details in the lesson's prose")
	if fm.Minutes < 0 {
		p.errs.add(at("minutes"), "minutes cannot be negative: give the estimated time to finish, e.g. \"minutes: 15\"")
	}
}

// oneLine checks a field that is shown as one line (a title, a summary):
// missing says what to add when it is empty, unless the field was already
// reported as malformed, and broken what to do when it holds a line break.
func (p *parser) oneLine(value string, pos Pos, malformed bool, missing, broken string) {
	switch {
	case strings.TrimSpace(value) == "" && !malformed:
		p.errs.add(pos, "%s", missing)
	case multiLine(value):
		p.errs.add(pos, "%s", broken)
	}
}

// multiLine reports whether text that is shown as one line (a title, a
// summary, a goal) holds a line break inside it: it would break the layout
// of the menus that show it. A break at its end (a YAML "|" block) is none.
func multiLine(text string) bool {
	return strings.ContainsAny(strings.TrimSpace(text), "\n\r")
}

func (p *parser) slug(value, field string, pos Pos, what string) {
	switch {
	case value == "":
		p.errs.add(pos, "missing %s: give %s an id of lowercase letters, digits and dashes", field, what)
	case !slugRE.MatchString(value):
		p.errs.add(pos, "%s %q: use only lowercase letters, digits and dashes, starting with a letter or digit", field, value)
	}
}

func (p *parser) validateIDs(l *Lesson) {
	seen := map[string]Pos{}
	for _, part := range l.Parts {
		var id string
		var pos Pos
		switch {
		case part.Exercise != nil:
			id, pos = part.Exercise.ID, part.Exercise.Pos
		case part.Quiz != nil:
			id, pos = part.Quiz.ID, part.Quiz.Pos
		default:
			continue
		}
		if id == "" {
			continue
		}
		if first, dup := seen[id]; dup {
			p.errs.add(pos, "duplicate id %q: line %d already uses it; give each exercise and quiz of a lesson its own id", id, first.Line)
			continue
		}
		seen[id] = pos
	}
}

func (p *parser) validateExercise(ex *Exercise, n *yaml.Node, checkNodes []*yaml.Node, base int) {
	at := func(key string) Pos { return p.fieldAt(n, key, base, ex.Pos) }
	bad := func(key string) bool { return p.quiet(n, key, base) }
	if !bad("id") {
		p.slug(ex.ID, "id", at("id"), "the exercise")
	}
	p.oneLine(ex.Title, at("title"), bad("title"),
		"missing title: add \"title: ...\" (a few words)",
		"title must be one line, a few words: it is the exercise's line in the lesson's menu; put the details in the goal")
	switch g := strings.TrimSpace(ex.Goal); {
	case bad("goal"):
	case g == "":
		p.errs.add(at("goal"), "missing goal: add \"goal: ...\", one line saying what done looks like")
	case multiLine(g):
		p.errs.add(at("goal"), "goal must be one line; put the details in the lesson's prose")
	}
	switch ex.Flavour {
	case FlavourShell, FlavourHost, FlavourBuild:
	case "":
		if !bad("flavour") {
			p.errs.add(at("flavour"), "missing flavour: use shell, host or build")
		}
	default:
		p.errs.add(at("flavour"), "unknown flavour %q%s: use shell, host or build", ex.Flavour, suggest(ex.Flavour, []string{FlavourShell, FlavourHost, FlavourBuild}))
	}
	if ex.Flavour == FlavourShell && ex.Sandbox == nil && !bad("sandbox") {
		p.errs.add(at("flavour"), "a shell exercise needs a sandbox: add \"sandbox:\" with at least an image")
	}
	if ex.Sandbox != nil && !bad("sandbox") {
		p.validateSandbox(ex.Sandbox, mapValue(n, "sandbox"), base, at("sandbox"))
	}
	for i, w := range ex.Workspace {
		pos := p.itemPos(n, "workspace", i, base)
		if !localPath(w) {
			p.errs.add(pos, "workspace file %q must be a plain relative path inside the lesson's folder, like site/index.html (no leading /, ./ or ..)", w)
		}
	}
	if len(ex.Checks) == 0 && !bad("checks") {
		p.errs.add(at("checks"), "no checks: add \"checks:\" with at least one check, or the exercise can never be done")
	}
	for i, c := range ex.Checks {
		var cn *yaml.Node
		if i < len(checkNodes) {
			cn = checkNodes[i]
		}
		p.validateCheck(ex, c, cn, base)
	}
	if len(ex.Hints) == 0 && !bad("hints") {
		p.errs.add(at("hints"), "no hints: add \"hints:\" with at least one hint, from a nudge to a near-answer")
	}
	for i, h := range ex.Hints {
		if strings.TrimSpace(h) == "" {
			p.errs.add(p.itemPos(n, "hints", i, base), "empty hint: write the hint after the dash, or remove the line")
		}
	}
	if strings.TrimSpace(ex.Solution) == "" && !bad("solution") {
		p.errs.add(at("solution"), "missing solution: add \"solution: |\" with the commands a learner would type; the self-test runs it")
	}
	for i, w := range ex.Wrong {
		pos := p.itemPos(n, "wrong", i, base)
		// A misspelt field was reported as such ("nmae", did you mean
		// "name"?), not again as missing.
		misspelt := p.misspelt[nthItem(mapValue(n, "wrong"), i)]
		if strings.TrimSpace(w.Name) == "" && !misspelt["name"] {
			p.errs.add(pos, "wrong attempt without a name: say in a few words what the learner got wrong")
		}
		if strings.TrimSpace(w.Script) == "" && !misspelt["script"] {
			p.errs.add(pos, "wrong attempt %q has no script: add \"script:\" with the commands that make the mistake", w.Name)
		}
	}
	owns := mapValue(n, "owns")
	ex.ownsPos = map[string][]Pos{}
	for key, names := range map[string][]string{"containers": ex.Owns.Containers, "networks": ex.Owns.Networks, "volumes": ex.Owns.Volumes, "images": ex.Owns.Images} {
		for i := range names {
			ex.ownsPos[key] = append(ex.ownsPos[key], p.itemPos(owns, key, i, base))
		}
	}
	if sb := mapValue(n, "sandbox"); sb != nil {
		ex.networkPos = p.fieldAt(sb, "network", base, at("sandbox"))
		if ex.Sandbox != nil {
			ex.Sandbox.ImagePos = p.fieldAt(sb, "image", base, at("sandbox"))
		}
		mounts := mapValue(sb, "mounts")
		for i := range sandboxMounts(ex) {
			item := itemOr(p, sb, "mounts", i, base, at("sandbox"))
			ex.mountPos = append(ex.mountPos, p.fieldAt(nthItem(mounts, i), "source", base, item))
		}
	}
	for key, names := range map[string][]string{"containers": ex.Owns.Containers, "networks": ex.Owns.Networks, "volumes": ex.Owns.Volumes} {
		for i, name := range names {
			if !dockerRE.MatchString(name) {
				p.errs.add(p.itemPos(owns, key, i, base), "%q is not a valid Docker name: use letters, digits, _, . and -", name)
			}
		}
	}
	for i, ref := range ex.Owns.Images {
		if msg := ownedImageMistake(ref); msg != "" {
			p.errs.add(p.itemPos(owns, "images", i, base), "%s", msg)
		}
	}
}

// ownedImageMistake says what is wrong with ref under owns.images, or "".
// Reset removes what owns names, so it names the image the learner builds
// by its name and tag: an ID or a digest names whatever image has it, the
// course's own (busybox:1.36) included, and an invalid reference would be
// the engine's raw error at start and reset.
//
// A name without a tag is refused too: the engine reads dojo-app as
// dojo-app:latest, so reset would remove that one tag, while an author who
// writes the name alone most likely means every tag the learner builds.
func ownedImageMistake(ref string) string {
	err := sandbox.NamedImage(ref)
	switch {
	case err == nil:
		if named, perr := reference.ParseNormalizedNamed(ref); perr == nil && reference.IsNameOnly(named) {
			return fmt.Sprintf("owns.images names %s without a tag, which Docker reads as %s:latest, so reset would remove that tag alone and leave %s:1.0, or any other tag the learner builds: list each tag the exercise has the learner build, e.g. %s:1.0 (or %s:latest, if that is the one)", ref, ref, ref, ref, ref)
		}
		return ""
	case errors.Is(err, sandbox.ErrImageDigest):
		named, _ := reference.ParseNormalizedNamed(ref)
		return fmt.Sprintf("owns.images names %s by its digest, which names an image's content whatever its tags, so reset could remove one the course needs: name it by the tag the learner builds, e.g. %s:1.0", ref, reference.FamiliarName(named))
	case errors.Is(err, sandbox.ErrImageID) && hexName(ref):
		return fmt.Sprintf("owns.images names %s without a tag, which the engine takes for the start of an image ID when no image has that name, so reset could remove whatever image that is, one the course needs too: write it with the tag the learner builds, e.g. %s:1.0", ref, ref)
	case errors.Is(err, sandbox.ErrImageID):
		return fmt.Sprintf("owns.images names %s, an image ID, so reset would remove whatever image has it, one the course needs too: list the NAME:TAG the learner builds, e.g. dojo-app:1.0", ref)
	}
	return fmt.Sprintf("owns.images: %v: list the NAME:TAG the learner builds, in lowercase, e.g. dojo-app:1.0", err)
}

// hexName reports whether ref is hex digits only, shorter than a whole
// image ID: a name to the eye, the start of an ID to the engine.
func hexName(ref string) bool {
	return len(ref) < 64 && strings.Trim(ref, "0123456789abcdef") == ""
}

// sandboxMounts are the mounts of the exercise's sandbox, if it has one.
func sandboxMounts(ex *Exercise) []Mount {
	if ex.Sandbox == nil {
		return nil
	}
	return ex.Sandbox.Mounts
}

func (p *parser) validateSandbox(s *Sandbox, n *yaml.Node, base int, sandboxPos Pos) {
	at := func(key string) Pos { return p.fieldAt(n, key, base, sandboxPos) }
	if s.Image == "" {
		if !p.quiet(n, "image", base) {
			p.errs.add(at("image"), "sandbox has no image: add \"image: NAME:TAG\"")
		}
	} else if msg := checker.ImageMistake(s.Image); msg != "" {
		p.errs.add(at("image"), "%s", msg)
	}
	if s.Workdir != "" && (!path.IsAbs(s.Workdir) || path.Clean(s.Workdir) != s.Workdir && path.Clean(s.Workdir)+"/" != s.Workdir) {
		p.errs.add(at("workdir"), "workdir %q must be a clean absolute path in the container, like /root or /app", s.Workdir)
	}
	if s.Hostname != "" && !hostnameRE.MatchString(s.Hostname) {
		p.errs.add(at("hostname"), "hostname %q: use letters, digits and dashes (dots between labels), at most 63 characters a label, e.g. dojo-box", s.Hostname)
	}
	for i, e := range s.Env {
		if k, _, ok := strings.Cut(e, "="); !ok || k == "" {
			p.errs.add(p.itemPos(n, "env", i, base), "env entry %q: write KEY=value", e)
		}
	}
	for i, m := range s.Ports {
		host, ctr, _ := strings.Cut(strings.TrimSuffix(strings.TrimSuffix(m, "/tcp"), "/udp"), ":")
		switch {
		case !mappingRE.MatchString(m):
			p.errs.add(p.itemPos(n, "ports", i, base), "port %q: write HOST:CONTAINER, e.g. 8080:80 or 5353:53/udp", m)
		case !checker.PortNumber(host) || !checker.PortNumber(ctr):
			p.errs.add(p.itemPos(n, "ports", i, base), "port %q: a port is a number from 1 to 65535; write HOST:CONTAINER, e.g. 8080:80 or 5353:53/udp", m)
		}
	}
	if s.Network == "host" {
		p.errs.add(at("network"), "a sandbox cannot use the host network: it would share every port of the learner's machine")
	} else if s.Network != "" && !dockerRE.MatchString(s.Network) {
		p.errs.add(at("network"), "network %q is not a valid Docker name: use letters, digits, _, . and -", s.Network)
	}
	mounts := mapValue(n, "mounts")
	for i, m := range s.Mounts {
		item := nthItem(mounts, i)
		at := func(key string) Pos { return p.keyPos(item, key, base) }
		switch m.Type {
		case "workspace":
			if m.Source != "" && !localPath(m.Source) {
				p.errs.add(at("source"), "workspace mount source %q must be a relative path inside the workspace", m.Source)
			}
		case "volume":
			if !dockerRE.MatchString(m.Source) {
				p.errs.add(at("source"), "volume mount needs \"source:\" naming the volume (letters, digits, _, . and -)")
			}
		case "tmpfs":
			if m.Source != "" {
				p.errs.add(at("source"), "a tmpfs mount takes no source: remove the line; the folder lives in memory")
			}
		case "bind":
			p.errs.add(at("type"), "mount type bind is not allowed: a lesson may not reach into the learner's files; use type workspace for the exercise's folder")
		case "":
			p.errs.add(at("type"), "mount needs \"type:\": workspace, volume or tmpfs")
		default:
			p.errs.add(at("type"), "mount type %q: use workspace, volume or tmpfs", m.Type)
		}
		switch {
		case m.Target == "":
			p.errs.add(at("target"), "mount needs \"target:\", an absolute path in the container")
		case !path.IsAbs(m.Target):
			p.errs.add(at("target"), "mount target %q must be an absolute path in the container", m.Target)
		case systemPath(m.Target):
			p.errs.add(at("target"), "mount target %q is where the container's system lives (/, /proc, /sys, /dev): the engine refuses to mount over it; choose a folder of your own, like /data", m.Target)
		}
		if strings.Contains(m.Target, "docker.sock") {
			p.errs.add(at("target"), "a sandbox may never reach the Docker socket: it would hand over root on the learner's machine")
		}
	}
	caps := checker.Capabilities()
	for i, c := range s.CapAdd {
		pos := p.itemPos(n, "cap_add", i, base)
		name := strings.TrimPrefix(strings.ToUpper(c.Name), "CAP_")
		switch {
		case !capRE.MatchString(name) || name == "ALL":
			p.errs.add(pos, "capability %q: name one Linux capability, e.g. NET_ADMIN", c.Name)
		case !slices.Contains(caps, name):
			p.errs.add(pos, "capability %q is not a Linux capability%s; `man 7 capabilities` lists them", c.Name, suggest(name, caps))
		case refusedCaps[name] != "":
			p.errs.add(pos, "capability %s is refused in a sandbox: %s; to teach it, let the learner add it with --cap-add in a host exercise", name, refusedCaps[name])
		case strings.TrimSpace(c.Why) == "":
			p.errs.add(pos, "capability %s has no \"why\": say what it lets the learner do; it is shown before the sandbox starts", name)
		}
	}
}

// validateCheck checks the values of one check with its kind's own
// validation; n is its mapping, for the positions of its fields.
func (p *parser) validateCheck(ex *Exercise, c checker.Check, n *yaml.Node, base int) {
	l := checker.Lint{Sandbox: ex.Sandbox != nil, Given: map[string]bool{}}
	if n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if key := n.Content[i].Value; !p.badValue(n, key, base) {
				l.Given[key] = true
			}
		}
	}
	switch t := c.Title; {
	case l.Given["title"] && strings.TrimSpace(t) == "":
		p.errs.add(p.keyPos(n, "title", base), "empty title: say what the check looks for, in the learner's words, or remove the line")
	case strings.Contains(strings.TrimSpace(t), "\n"):
		p.errs.add(p.keyPos(n, "title", base), "title must be one line: it is a line of the learner's checklist")
	case utf8.RuneCountInString(t) > checker.MaxTitleLen:
		p.errs.add(p.keyPos(n, "title", base), "title is %d characters; keep it under %d: it is a line of the learner's checklist", utf8.RuneCountInString(t), checker.MaxTitleLen)
	}
	c.Validate(&l)
	p.emptyRequired(c, n, base, l.Problems())
	for _, o := range l.Objects() {
		ex.named = append(ex.named, namedObject{Object: o, Pos: p.fieldAt(n, o.Field, base, p.keyPos(n, "kind", base))})
	}
	for _, pr := range l.Problems() {
		field := pr.Field
		if field == "" {
			field = "kind"
		}
		p.errs.add(p.keyPos(n, field, base), "%s", pr.Msg)
	}
}

// emptyRequired reports each field the check's kind requires that is
// given, but empty ("", [] or nothing after the colon): the kind needs a
// value there, as much as when the field is missing. A field its kind
// already said more about (in problems), or whose value has the wrong
// type, is left to that message.
func (p *parser) emptyRequired(c checker.Check, n *yaml.Node, base int, problems []checker.Problem) {
	k, ok := checker.KindNamed(c.Kind)
	if !ok {
		return
	}
	for _, field := range k.Required() {
		v := mapValue(n, field)
		if v == nil || !emptyValue(v) || p.badValue(n, field, base) || slices.ContainsFunc(problems, func(pr checker.Problem) bool { return pr.Field == field }) {
			continue
		}
		p.errs.add(p.keyPos(n, field, base), "%s is empty: check kind %s needs a value for it; give one, as docs/authoring.md shows under %s", field, c.Kind, c.Kind)
	}
}

// emptyValue reports whether a YAML value holds nothing: "", null, [] or {}.
func emptyValue(v *yaml.Node) bool {
	switch v.Kind {
	case yaml.ScalarNode:
		return v.Value == "" || v.Tag == "!!null"
	case yaml.SequenceNode, yaml.MappingNode:
		return len(v.Content) == 0
	}
	return false
}

func (p *parser) validateQuiz(q *Quiz, n *yaml.Node, base int) {
	at := func(key string) Pos { return p.fieldAt(n, key, base, q.Pos) }
	bad := func(key string) bool { return p.quiet(n, key, base) }
	if !bad("id") {
		p.slug(q.ID, "id", at("id"), "the quiz")
	}
	if strings.TrimSpace(q.Question) == "" && !bad("question") {
		p.errs.add(at("question"), "missing question: add \"question: ...\"")
	}
	if len(q.Choices) < 2 && !bad("choices") {
		p.errs.add(at("choices"), "a quiz needs at least two choices: add them under \"choices:\", each with \"text:\"")
	}
	right := 0
	for i, c := range q.Choices {
		// A text of the wrong type (a list) was said where it is; it is
		// no missing text besides.
		if item := nthItem(mapValue(n, "choices"), i); strings.TrimSpace(c.Text) == "" && (item == nil || !p.badValue(item, "text", base)) {
			p.errs.add(p.itemPos(n, "choices", i, base), "choice without text: add \"text: ...\", the answer as the learner sees it")
		}
		if c.Correct {
			right++
		}
	}
	if len(q.Choices) >= 2 && right == 0 {
		p.errs.add(at("choices"), "no choice is marked \"correct: true\"")
	}
	if strings.TrimSpace(q.Explain) == "" && !bad("explain") {
		p.errs.add(at("explain"), "missing explain: say why the right answer is right; it is shown after the answer")
	}
}

// hostnameRE is a hostname as the engine takes one (RFC 1123).
var hostnameRE = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$`)

// systemPath reports whether a mount target is where the container's own
// system lives.
func systemPath(target string) bool {
	t := path.Clean(target)
	if t == "/" {
		return true
	}
	for _, p := range []string{"/proc", "/sys", "/dev"} {
		if t == p || strings.HasPrefix(t, p+"/") {
			return true
		}
	}
	return false
}

// Limits on starter files: a lesson from anyone must not fill the
// learner's disk, and starter files are text (a Dockerfile, a page).
const (
	MaxStarterFileBytes     = 8 << 20  // one file
	MaxStarterExerciseBytes = 32 << 20 // all the files of one exercise
)

// validateFiles checks that every starter file exists beside the lesson,
// within the size limits.
func validateFiles(l *Lesson) ErrorList {
	var errs ErrorList
	for _, ex := range l.Exercises {
		var total int64
		tooMuch := false
		for i, w := range ex.Workspace {
			if !localPath(w) {
				continue
			}
			pos := ex.Pos
			if i < len(ex.workspacePos) {
				pos = ex.workspacePos[i]
			}
			name := path.Join(l.Dir, w)
			info, err := fs.Stat(l.FS, name)
			var link string // a folder on the way that is a link
			if err != nil {
				link = strings.TrimPrefix(strings.TrimPrefix(linkOnPath(l.FS, name), l.Dir), "/")
			}
			switch {
			case err != nil && isLink(l.FS, name):
				errs.add(pos, "workspace file %q is a link that leads out of the lesson's folder, or to nothing: put the file itself beside the lesson", w)
			case link != "":
				errs.add(pos, "workspace file %q is in the folder %s, a link that leads out of the lesson's folder, or to nothing: put the folder itself beside the lesson", w, path.Join(path.Dir(l.File), link))
			case err != nil:
				errs.add(pos, "workspace file %q does not exist beside the lesson (looked for %s)", w, path.Join(path.Dir(l.File), w))
			case info.IsDir():
				errs.add(pos, "workspace file %q is a folder: list the files in it one by one", w)
			case !info.Mode().IsRegular():
				errs.add(pos, "workspace file %q is not a plain file: a starter file must be a regular file, not a pipe or device", w)
			case info.Size() > MaxStarterFileBytes:
				errs.add(pos, "workspace file %q is %d MiB; a starter file may be at most %d MiB: let the learner make or fetch big files", w, info.Size()>>20, MaxStarterFileBytes>>20)
			default:
				if total += info.Size(); total > MaxStarterExerciseBytes && !tooMuch {
					errs.add(pos, "the starter files of exercise %s come to more than %d MiB with %q: keep them small", ex.ID, MaxStarterExerciseBytes>>20, w)
					tooMuch = true
				}
			}
		}
	}
	return errs
}

// itemPos is the position of the i-th item of the list under key in n.
func (p *parser) itemPos(n *yaml.Node, key string, i int, base int) Pos {
	if item := nthItem(mapValue(n, key), i); item != nil {
		return p.pos(item, base)
	}
	return p.keyPos(n, key, base)
}

func nthItem(n *yaml.Node, i int) *yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode || i >= len(n.Content) {
		return nil
	}
	return n.Content[i]
}

// localPath reports whether p is a clean relative path that stays inside its root.
func localPath(p string) bool {
	return p != "" && fs.ValidPath(p) && p != "."
}
