package selftest

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/dockdojo/dockdojo/checker"
	"github.com/dockdojo/dockdojo/exercise"
	"github.com/dockdojo/dockdojo/lessons"
)

// Exercises of a self-test run side by side unless they could meet on the
// engine: the same name of a container, network, volume, image or Compose
// project, or the same host port. An exercise's claims are what it could
// take; two exercises that claim the same thing never run at once.

var (
	// hostPortRE finds HOST:CONTAINER port mappings (-p 8080:80, "8080:80"
	// in a compose file) and Compose's long form (published: 8080).
	hostPortRE = regexp.MustCompile(`(?:^|[^\w.:])(\d{2,5}):\d{1,5}\b|published:\s*"?(\d{2,5})`)
	// namedRE finds the names scripts and compose files give objects.
	namedRE = regexp.MustCompile(`(?:--name[ =]|container_name:\s*|(?:network|volume) create\s+(?:--?[\w-]+\s+)*|\s(?:-t|--tag)[ =])["']?([A-Za-z0-9][\w.:/-]*)`)
)

// builtinNetworks exist on every engine; every exercise may use them.
var builtinNetworks = []string{"", "none", "bridge", "host", "default"}

// claims lists what ex could take on the engine: the names it owns, uses
// or gives in its scripts and starter files, and the host ports it
// publishes, and the same of the exercises it continues, whose solutions
// its self-test runs first and whose objects it uses. Images that checks
// only look at are shared, not claimed.
func claims(ex *lessons.Exercise) []string {
	var out []string
	for _, e := range append(ex.Chain(), ex) {
		out = append(out, ownClaims(e)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ownClaims lists what ex itself could take on the engine (see claims).
func ownClaims(ex *lessons.Exercise) []string {
	var out []string
	name := func(n string) {
		if !slices.Contains(builtinNetworks, n) {
			out = append(out, "name "+n)
		}
	}
	port := func(p string) { out = append(out, "port "+strings.TrimLeft(p, "0")) }
	name(exercise.SandboxName(ex))
	for _, list := range [][]string{ex.Owns.Containers, ex.Owns.Networks, ex.Owns.Volumes, ex.Owns.Images} {
		for _, n := range list {
			name(n)
		}
	}
	if sb := ex.Sandbox; sb != nil {
		name(sb.Network)
		for _, p := range sb.Ports {
			host, _, _ := strings.Cut(p, ":")
			port(host)
		}
		for _, m := range sb.Mounts {
			if m.Type == "volume" {
				name(m.Source)
			}
		}
	}
	for _, c := range ex.Checks {
		for _, o := range c.Objects() {
			if o.Type != "image" {
				name(o.Name)
			}
		}
		if pp, ok := c.Spec.(*checker.PortPublished); ok && pp.HostPort != "" {
			port(pp.HostPort)
		}
	}
	texts := []string{ex.Solution}
	for _, w := range ex.Wrong {
		texts = append(texts, w.Script, w.Cleanup)
	}
	for _, w := range ex.Workspace {
		if b, err := fs.ReadFile(ex.Lesson.FS, path.Join(ex.Lesson.Dir, w)); err == nil {
			texts = append(texts, string(b))
		}
		// Compose names a project after the folder its file is in.
		if base := path.Base(w); base == "compose.yaml" || base == "compose.yml" || base == "docker-compose.yml" || base == "docker-compose.yaml" {
			name("project " + path.Base(path.Dir(path.Join(ex.Lesson.Dir, w))))
		}
	}
	for _, text := range texts {
		for _, m := range hostPortRE.FindAllStringSubmatch(text, -1) {
			port(m[1] + m[2])
		}
		for _, m := range namedRE.FindAllStringSubmatch(text, -1) {
			// A name has a letter: "-t 1" is docker stop's timeout.
			if strings.ContainsFunc(m[1], unicode.IsLetter) {
				name(m[1])
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// cost is a guess, in no unit, at how long ex's self-test takes, so that
// the longest start first and none is left to run alone at the end (the
// report is in course order whatever the order of the runs). Every run of
// the exercise (the fresh start, each wrong attempt, the solution) starts
// a sandbox and runs the solutions of the exercises it continues first; a
// Compose project or a build makes each run longer.
func cost(ex *lessons.Exercise) int {
	runs := len(ex.Wrong) + 2
	c := 2 * runs * (1 + len(ex.Chain()))
	texts := []string{ex.Solution}
	for _, e := range append(ex.Chain(), ex) {
		texts = append(texts, e.Workspace...)
	}
	all := strings.Join(texts, "\n")
	if strings.Contains(all, "compose") {
		c *= 2
	}
	if strings.Contains(all, "build") || strings.Contains(all, "Dockerfile") {
		c = c * 3 / 2
	}
	return c
}

// schedule calls do for each of the items, at most n at once, never for
// two whose claims meet at the same time. The free item of the highest
// cost starts first (the first in order among equals); one whose claims
// are taken lets the next free ones start. Once stop reports true, no more
// items start. It returns when every item started has finished, and says
// which started.
func schedule(n int, claims [][]string, costs []int, stop func() bool, do func(i int)) (started []bool) {
	var mu sync.Mutex
	freed := sync.NewCond(&mu)
	taken := map[string]bool{}
	started = make([]bool, len(claims))
	running := 0
	free := func(i int) bool {
		for _, c := range claims[i] {
			if taken[c] {
				return false
			}
		}
		return true
	}
	var wg sync.WaitGroup
	mu.Lock()
	for left := len(claims); left > 0; {
		next := -1
		if running < n {
			for i := range claims {
				if !started[i] && free(i) && (next < 0 || costs[i] > costs[next]) {
					next = i
				}
			}
		}
		if next < 0 {
			freed.Wait()
			continue
		}
		if stop() {
			break
		}
		started[next], running = true, running+1
		left--
		for _, c := range claims[next] {
			taken[c] = true
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			do(i)
			mu.Lock()
			for _, c := range claims[i] {
				delete(taken, c)
			}
			running--
			freed.Broadcast()
			mu.Unlock()
		}(next)
	}
	mu.Unlock()
	wg.Wait()
	return started
}

// unowned lists, as every kind of object they could name, the names the
// exercise's scripts and checks give (see claims) that neither it nor an
// exercise it continues owns: what a script makes under such a name, reset
// leaves behind. dockdojo's own objects (labelled, found by label) and
// Compose projects are not names of this kind; a name with a tag is looked
// for as an image, any other as a container, a network and a volume.
func unowned(ex *lessons.Exercise) lessons.Owns {
	owned := map[string]bool{}
	for _, e := range append(ex.Chain(), ex) {
		for _, kind := range []string{"container", "network", "volume", "image"} {
			for _, n := range e.Owns.Names(kind) {
				owned[n] = true
			}
		}
	}
	var o lessons.Owns
	for _, c := range claims(ex) {
		n, ok := strings.CutPrefix(c, "name ")
		if !ok || owned[n] || strings.Contains(n, " ") || strings.HasPrefix(n, "dockdojo-") {
			continue
		}
		if strings.Contains(n, ":") {
			o.Images = append(o.Images, n)
			continue
		}
		o.Containers = append(o.Containers, n)
		o.Networks = append(o.Networks, n)
		o.Volumes = append(o.Volumes, n)
	}
	return o
}
