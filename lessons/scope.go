package lessons

import (
	"slices"
	"strings"

	"github.com/dockdojo/dockdojo/checker"
)

// A lesson reaches only its own exercise (see checker.Scope): its checks
// name only the exercise's sandbox and the objects it owns, and what it
// owns is the learner's work for this exercise, never an object that
// dockdojo, a sandbox or another exercise needs. These rules are judged
// once the whole course is read, since they compare exercises; what breaks
// them keeps the course from loading, as any mistake does.

// namedObject is an object a check names, and where.
type namedObject struct {
	checker.Object
	Pos Pos
}

// reach lists the exercises whose objects e may reach: e itself, and the
// exercises it continues (it goes on from what they left).
func (e *Exercise) reach() []*Exercise { return append([]*Exercise{e}, e.Chain()...) }

// SandboxName is the name of the exercise's sandbox container,
// dockdojo-LESSON-EXERCISE.
func (e *Exercise) SandboxName() string { return "dockdojo-" + e.Lesson.ID + "-" + e.ID }

// Scope is what the exercise's checks may reach: its sandbox, the objects
// it owns, and those dockdojo makes for its sandbox (its network, its
// volumes).
func (e *Exercise) Scope() checker.Scope {
	var s checker.Scope
	if e.Sandbox != nil {
		s.Sandbox = e.SandboxName()
	}
	for _, ex := range e.reach() {
		s.Containers = append(s.Containers, ex.Owns.Containers...)
		s.Networks = append(s.Networks, ex.Owns.Networks...)
		s.Volumes = append(s.Volumes, ex.Owns.Volumes...)
		s.Images = append(s.Images, ex.Owns.Images...)
		if sb := ex.Sandbox; sb != nil {
			if sb.Network != "" {
				s.Networks = append(s.Networks, sb.Network)
			}
			for _, m := range sb.Mounts {
				if m.Type == "volume" {
					s.Volumes = append(s.Volumes, m.Source)
				}
			}
		}
	}
	return s
}

// related reports whether a and b may share objects: one reaches the other.
func related(a, b *Exercise) bool {
	return slices.Contains(a.reach(), b) || slices.Contains(b.reach(), a)
}

// ownsKey is the key under owns that lists objects of a type.
var ownsKey = map[string]string{"container": "containers", "network": "networks", "volume": "volumes", "image": "images"}

// checkScopes reports two exercises whose sandboxes share a name or a
// volume, each
// check that names an object out of its exercise's scope, each owned object
// that is not the learner's work for the exercise, and each sandbox network
// that is not dockdojo's to make.
func (c *Course) checkScopes() ErrorList {
	var errs ErrorList
	idx := indexObjects(c.Exercises())
	sandboxes := map[string]*Exercise{} // by name
	for _, ex := range idx.all {
		if ex.Sandbox != nil {
			// Ids join with "-", so lesson a-b's exercise c and lesson a's
			// exercise b-c would start the same container.
			name := ex.SandboxName()
			if first := sandboxes[name]; first != nil {
				errs.add(ex.Pos, "the sandbox of %s would be named %s, as the sandbox of %s (%s) is; two exercises cannot share a sandbox: change this exercise's id, or its lesson's", ex.Key(), name, first.Key(), first.Pos)
			} else {
				sandboxes[name] = ex
			}
		}
		scope := ex.Scope()
		for _, o := range ex.named {
			switch why := scope.Allows(o.Object); {
			case why != "" && o.Type == "container" && strings.HasPrefix(o.Name, "dockdojo-"):
				errs.add(o.Pos, "the container %s is dockdojo's, and not this exercise's sandbox: a check reaches its own exercise's sandbox (leave %q out, where the kind allows it) and no other", o.Name, o.Field)
			case why != "" && o.Type == "project":
				errs.add(o.Pos, "%s; list the project's containers, networks and volumes under owns (e.g. %s-web-1 under owns.containers)", why, o.Name)
			case why != "":
				errs.add(o.Pos, "%s: a check looks only at the exercise's sandbox and the objects it owns; if the learner makes it for this exercise, list it under owns.%s", why, ownsKey[o.Type])
			}
		}
		errs = append(errs, sharedVolumes(ex, idx)...)
		errs = append(errs, ownsMistakes(ex, idx)...)
		if sb := ex.Sandbox; sb != nil && !slices.Contains(predefined, sb.Network) {
			if owners := idx.owners[objectKey{"network", sb.Network}]; len(owners) > 0 {
				errs.add(ex.networkPos, "the sandbox's network %s is listed under owns.networks of %s, as the learner's: a sandbox joins only a network dockdojo creates for it; give it a name of its own", sb.Network, owners[0].Key())
			}
		}
	}
	return errs
}

// sharedVolumes reports each volume that ex's sandbox mounts and that the
// sandbox of an earlier exercise mounts too, one that ex does not continue
// (nor it ex). What the learner leaves in the volume in one exercise is
// there when the other starts, and can pass its checks before the learner
// did anything; the self-test resets between exercises, so it cannot see
// that. An exercise that continues the other shares it on purpose.
func sharedVolumes(ex *Exercise, idx *objectIndex) ErrorList {
	var errs ErrorList
	for i, m := range sandboxMounts(ex) {
		if m.Type != "volume" || slices.ContainsFunc(sandboxMounts(ex)[:i], func(o Mount) bool { return o.Type == "volume" && o.Source == m.Source }) {
			continue
		}
		for _, other := range idx.sandboxes[objectKey{"volume", m.Source}] {
			if idx.order[other] >= idx.order[ex] {
				break
			}
			if related(ex, other) {
				continue
			}
			at := other.Pos
			if j := slices.IndexFunc(sandboxMounts(other), func(o Mount) bool { return o.Type == "volume" && o.Source == m.Source }); j >= 0 && j < len(other.mountPos) {
				at = other.mountPos[j]
			}
			name := other.Key()
			if other.Lesson == ex.Lesson {
				name = other.ID
			}
			pos := ex.Pos
			if i < len(ex.mountPos) {
				pos = ex.mountPos[i]
			}
			errs.add(pos, "the sandbox's volume %s is mounted by the sandbox of %s too (%s): what the learner leaves in it there is here when this exercise starts, and can pass its checks before they do anything, which the self-test cannot see, as it resets between exercises; give each exercise its own volume name, or, if this exercise goes on from that one, add \"continues: %s\"", m.Source, other.Key(), at, name)
			break
		}
	}
	return errs
}

// predefined are the networks every engine has.
var predefined = []string{"", "none", "bridge", "default", "host"}

// objectKey is an object by type and name (an image's name normalized).
type objectKey struct{ typ, name string }

// objectIndex is, for one look at the course, which exercises own or use
// each object, each list in course order: an owned name is then matched
// against the few exercises that name it rather than every exercise of the
// course (a course of 1,000 lessons took seconds to check otherwise).
type objectIndex struct {
	all    []*Exercise
	order  map[*Exercise]int
	owners map[objectKey][]*Exercise // by owns, exact name
	// sandboxes by the network, volume or image (normalized) they use.
	sandboxes map[objectKey][]*Exercise
	// users by the image (normalized) they use, built when first needed:
	// it reads every exercise's starter files.
	users map[objectKey][]*Exercise
}

func indexObjects(all []*Exercise) *objectIndex {
	idx := &objectIndex{all: all, order: map[*Exercise]int{}, owners: map[objectKey][]*Exercise{}, sandboxes: map[objectKey][]*Exercise{}}
	for i, ex := range all {
		idx.order[ex] = i
		for _, typ := range []string{"container", "network", "volume", "image"} {
			for _, name := range ex.Owns.Names(typ) {
				idx.add(idx.owners, objectKey{typ, name}, ex)
			}
		}
		sb := ex.Sandbox
		if sb == nil {
			continue
		}
		idx.add(idx.sandboxes, objectKey{"network", sb.Network}, ex)
		idx.add(idx.sandboxes, objectKey{"image", normalizeImageRef(sb.Image)}, ex)
		for _, m := range sb.Mounts {
			if m.Type == "volume" {
				idx.add(idx.sandboxes, objectKey{"volume", m.Source}, ex)
			}
		}
	}
	return idx
}

func (idx *objectIndex) add(m map[objectKey][]*Exercise, k objectKey, ex *Exercise) {
	if list := m[k]; len(list) == 0 || list[len(list)-1] != ex {
		m[k] = append(list, ex)
	}
}

// usersOf lists the exercises whose scan finds the image in use.
func (idx *objectIndex) usersOf(image string) []*Exercise {
	if idx.users == nil {
		idx.users = map[objectKey][]*Exercise{}
		for _, ex := range idx.all {
			for _, u := range ex.scanImages().used {
				idx.add(idx.users, objectKey{"image", normalizeImageRef(u)}, ex)
			}
		}
	}
	return idx.users[objectKey{"image", normalizeImageRef(image)}]
}

// ownsMistakes reports what ex lists under owns but may not: reset would
// offer to remove it, and the learner would lose what dockdojo, a sandbox
// or another exercise needs.
func ownsMistakes(ex *Exercise, idx *objectIndex) ErrorList {
	var errs ErrorList
	at := func(key string, i int) Pos {
		if i < len(ex.ownsPos[key]) {
			return ex.ownsPos[key][i]
		}
		return ex.Pos
	}
	for _, typ := range []string{"container", "network", "volume", "image"} {
		key := ownsKey[typ]
		for i, name := range ex.Owns.Names(typ) {
			if typ != "image" && strings.HasPrefix(name, "dockdojo-") {
				errs.add(at(key, i), "owns.%s names %s, which is dockdojo's: dockdojo removes its own objects, and owns lists only what the learner makes", key, name)
				continue
			}
			if typ == "network" && slices.Contains(predefined, name) {
				errs.add(at(key, i), "owns.networks names %s, one of Docker's own networks (bridge, host, none, default), which a learner cannot create and reset cannot remove: leave it out; a check may name it without owning it", name)
				continue
			}
			if typ == "image" && sameImage(name, checker.ProbeImage) {
				errs.add(at(key, i), "owns.images names %s, the image dockdojo's checks run their probes in: reset would offer to remove it; list only images the learner builds for this exercise", name)
				continue
			}
			if other, how := usedElsewhere(ex, idx, typ, name); other != nil {
				errs.add(at(key, i), "owns.%s names %s, which %s %s: reset would offer to remove it; list only what the learner makes for this exercise", key, name, other.Key(), how)
			}
		}
	}
	return errs
}

// usedElsewhere finds the first exercise, in course order, other than ex
// (and not related to it) that owns the object, or whose sandbox uses it;
// for an image, also one that uses it without building it, and ex's own
// sandbox.
func usedElsewhere(ex *Exercise, idx *objectIndex, typ, name string) (*Exercise, string) {
	key := objectKey{typ, name}
	if typ == "image" {
		key.name = normalizeImageRef(name)
	}
	// Only these can answer; each is asked as every exercise once was.
	candidates := slices.Concat(idx.owners[objectKey{typ, name}], idx.sandboxes[key])
	if typ == "image" {
		candidates = append(candidates, idx.usersOf(name)...)
	}
	slices.SortFunc(candidates, func(a, b *Exercise) int { return idx.order[a] - idx.order[b] })
	for _, other := range slices.Compact(candidates) {
		sb := other.Sandbox
		if typ == "image" && sb != nil && sameImage(sb.Image, name) {
			return other, "runs its sandbox from"
		}
		if other == ex || related(ex, other) {
			continue
		}
		if slices.Contains(other.Owns.Names(typ), name) {
			return other, "owns too"
		}
		switch {
		case typ == "network" && sb != nil && sb.Network == name:
			return other, "makes for its sandbox"
		case typ == "volume" && sb != nil && slices.ContainsFunc(sb.Mounts, func(m Mount) bool { return m.Type == "volume" && m.Source == name }):
			return other, "makes for its sandbox"
		case typ == "image" && slices.Contains(idx.usersOf(name), other):
			return other, "uses"
		}
	}
	return nil, ""
}

func sameImage(a, b string) bool { return normalizeImageRef(a) == normalizeImageRef(b) }
