package sandbox

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/jsonmessage"
)

// NormalizeImage writes an image reference the way docker shows it, with
// its tag: "busybox" is "busybox:latest", "docker.io/library/busybox:1.36"
// is "busybox:1.36". An invalid reference is an error that says so.
func NormalizeImage(ref string) (string, error) {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return "", fmt.Errorf("%q is not a valid image reference: %w", ref, err)
	}
	return reference.FamiliarString(reference.TagNameOnly(named)), nil
}

// ErrNotPinned is an image reference with neither a tag nor a digest: it
// means "latest", which changes under the learner.
var ErrNotPinned = errors.New("names no tag or digest")

// PinnedImage checks that ref is a valid image reference, as the docker CLI
// reads one, that names a tag or a digest. It is the one place references
// are judged: lessons, checks and prepare all go through it.
func PinnedImage(ref string) error {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return fmt.Errorf("%q is not a valid image reference: %w", ref, err)
	}
	_, tagged := named.(reference.Tagged)
	_, digested := named.(reference.Digested)
	if !tagged && !digested {
		return fmt.Errorf("%q %w", ref, ErrNotPinned)
	}
	return nil
}

// ErrImageID is an image written as an image ID (sha256:..., 64 hex
// digits, another algorithm's digest) or as what the engine takes for the
// start of one: hex digits with no tag (a1b2c3d4e5f6), which it looks up as
// an ID when no image has that name.
var ErrImageID = errors.New("is an image ID, not a name")

// ErrImageDigest is an image written with a digest (dojo-app@sha256:...).
var ErrImageDigest = errors.New("names a digest, not a tag")

// NamedImage checks that ref names an image by its name, dojo-app:1.0 (or
// dojo-app, for dojo-app:latest): the only way dockdojo names an image of
// the learner's that it removes. An ID or a digest names whatever image has
// it, whatever its tags, the course's own (busybox:1.36) included.
func NamedImage(ref string) error {
	if strings.HasPrefix(ref, "sha256:") || hexDigits(ref) {
		return fmt.Errorf("%q %w", ref, ErrImageID)
	}
	parsed, err := reference.ParseAnyReference(ref)
	if err != nil {
		return fmt.Errorf("%q is not a valid image reference: %w", ref, err)
	}
	named, ok := parsed.(reference.Named)
	if !ok {
		return fmt.Errorf("%q %w", ref, ErrImageID)
	}
	if _, ok := named.(reference.Digested); ok {
		return fmt.Errorf("%q %w", ref, ErrImageDigest)
	}
	return nil
}

// hexDigits reports whether s is lowercase hex digits only, as an image ID
// and its short forms are.
func hexDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789abcdef") == ""
}

// ValidateMirror checks a classroom registry address: HOST or HOST:PORT,
// with no scheme and no path. Whether the engine speaks HTTPS or plain HTTP
// to it is the engine's choice (its insecure-registries setting), not ours.
func ValidateMirror(mirror string) error {
	if strings.Contains(mirror, "://") {
		return fmt.Errorf("mirror %q: give HOST or HOST:PORT without a scheme (e.g. 192.168.1.10:5000); the engine decides between HTTPS and plain HTTP, and uses plain HTTP only for registries in its insecure-registries list (and 127.0.0.0/8)", mirror)
	}
	host := mirror
	if h, _, err := net.SplitHostPort(mirror); err == nil {
		host = h
	}
	if host == "" || strings.ContainsAny(mirror, "/@ ") {
		return fmt.Errorf("mirror %q: give the registry as HOST or HOST:PORT, e.g. 192.168.1.10:5000 or registry.lan", mirror)
	}
	named, err := reference.ParseNormalizedNamed(mirror + "/library/probe:1")
	if err != nil || reference.Domain(named) != mirror {
		return fmt.Errorf("mirror %q: docker would read this as part of a Docker Hub name, not as a registry; add the port (%s:5000) or use a name with a dot", mirror, mirror)
	}
	return nil
}

// MirrorRef is the name under which a classroom registry at mirror serves
// ref, for images of Docker Hub named by tag: busybox:1.36 becomes
// MIRROR/library/busybox:1.36 and itzg/minecraft-server:2024.10.2 becomes
// MIRROR/itzg/minecraft-server:2024.10.2, the layout of a registry run as a
// pull-through cache of Docker Hub. ok is false for images of other
// registries and for references by digest (a digest cannot be given back
// as the lesson's tag): those are pulled as named.
func MirrorRef(ref, mirror string) (string, bool, error) {
	if err := ValidateMirror(mirror); err != nil {
		return "", false, err
	}
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return "", false, fmt.Errorf("%q is not a valid image reference: %w", ref, err)
	}
	if _, digested := named.(reference.Digested); digested || reference.Domain(named) != "docker.io" {
		return ref, false, nil
	}
	tagged := reference.TagNameOnly(named).(reference.Tagged)
	return mirror + "/" + reference.Path(named) + ":" + tagged.Tag(), true, nil
}

// PullEvent is the state of one pull, sent each time the engine reports
// progress.
type PullEvent struct {
	Ref    string // the image as the lesson names it
	Status string // the engine's latest words, e.g. "Downloading", "Pull complete"
	Layers int    // layers seen so far
	Done   int    // layers finished: pulled, or already there
	// Current and Total are the bytes downloaded and to download, over the
	// layers whose size the engine has said.
	Current, Total int64
}

// PullOptions tune Pull.
type PullOptions struct {
	// Mirror, HOST or HOST:PORT, pulls Docker Hub images through a
	// classroom registry (see MirrorRef).
	Mirror string
	// Progress, when set, is called from the pulling goroutine.
	Progress func(PullEvent)
}

// PullResult says what Pull fetched.
type PullResult struct {
	Ref  string // the image as the lesson names it, now present
	From string // what was pulled: Ref, or its name on the mirror
}

// Pull pulls ref, through the mirror when one is given: the image is pulled
// under its mirror name, tagged with ref so that lessons find it under the
// name they use, and the mirror name is untagged again when it was not
// there before. Errors explain the usual causes (no network, Docker Hub's
// pull limit, a mirror the engine does not trust).
func (e *Engine) Pull(ctx context.Context, ref string, opts PullOptions) (PullResult, error) {
	from := ref
	viaMirror := false
	if opts.Mirror != "" {
		m, ok, err := MirrorRef(ref, opts.Mirror)
		if err != nil {
			return PullResult{}, err
		}
		from, viaMirror = m, ok
	}
	hadFrom := false
	if viaMirror {
		_, err := e.InspectImage(ctx, from)
		hadFrom = err == nil
	}
	rc, err := e.cli.ImagePull(ctx, from, image.PullOptions{})
	if err != nil {
		return PullResult{}, e.pullError(from, viaMirror, opts.Mirror, err)
	}
	defer rc.Close()
	if err := followPull(rc, ref, opts.Progress); err != nil {
		return PullResult{}, e.pullError(from, viaMirror, opts.Mirror, err)
	}
	if viaMirror {
		if err := e.cli.ImageTag(ctx, from, ref); err != nil {
			return PullResult{}, e.wrap(fmt.Sprintf("tag %s as %s", from, ref), err)
		}
		if !hadFrom {
			// Only the name goes: ref still names the image.
			_, _ = e.cli.ImageRemove(ctx, from, image.RemoveOptions{})
		}
	}
	return PullResult{Ref: ref, From: from}, nil
}

// followPull reads the engine's progress messages to the end, reporting
// them as PullEvents; an error message in the stream is the pull's error.
func followPull(r io.Reader, ref string, progress func(PullEvent)) error {
	type layer struct {
		current, total int64
		done           bool
	}
	layers := map[string]*layer{}
	var order []string
	ev := PullEvent{Ref: ref}
	dec := json.NewDecoder(r)
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("read the engine's answer: %w", err)
		}
		if m.Error != nil {
			return errors.New(m.Error.Message)
		}
		if m.Status == "" {
			continue
		}
		ev.Status = m.Status
		if m.ID != "" && !strings.HasPrefix(m.Status, "Pulling from ") {
			l := layers[m.ID]
			if l == nil {
				l = &layer{}
				layers[m.ID] = l
				order = append(order, m.ID)
			}
			switch m.Status {
			case "Downloading":
				if m.Progress != nil {
					l.current, l.total = m.Progress.Current, m.Progress.Total
				}
			case "Download complete", "Verifying Checksum":
				l.current = l.total
			case "Pull complete", "Already exists":
				l.current, l.done = l.total, true
			}
		}
		ev.Layers, ev.Done, ev.Current, ev.Total = len(order), 0, 0, 0
		for _, id := range order {
			l := layers[id]
			if l.done {
				ev.Done++
			}
			ev.Current += l.current
			ev.Total += l.total
		}
		if progress != nil {
			progress(ev)
		}
	}
}

// pullError says why a pull failed, and what to do about it.
func (e *Engine) pullError(from string, viaMirror bool, mirror string, err error) error {
	var stall *StallError
	if client.IsErrConnectionFailed(err) || connectionLost(err) || errors.As(err, &stall) {
		return e.wrap("pull "+from, err)
	}
	msg := strings.TrimPrefix(err.Error(), "Error response from daemon: ")
	lower := strings.ToLower(msg)
	var hint string
	switch {
	case viaMirror && (strings.Contains(lower, "server gave http response to https client") || strings.Contains(lower, "x509") || strings.Contains(lower, "certificate")):
		hint = fmt.Sprintf("the engine does not trust the mirror %s: for a registry on plain HTTP, add it to \"insecure-registries\" in the engine's daemon.json (Docker Desktop: Settings > Docker Engine) and restart Docker", mirror)
	case strings.Contains(lower, "toomanyrequests") || strings.Contains(lower, "rate limit"):
		hint = "Docker Hub's pull limit for this network is used up: pull through a classroom mirror (--mirror HOST:PORT) or load a bundle (--load FILE)"
	case viaMirror && (strings.Contains(lower, "not found") || strings.Contains(lower, "manifest unknown") || strings.Contains(lower, "does not exist")):
		hint = fmt.Sprintf("the mirror %s does not have %s: push it there, or run the mirror as a pull-through cache of Docker Hub", mirror, from)
	case strings.Contains(lower, "no such host") || strings.Contains(lower, "i/o timeout") || strings.Contains(lower, "connection refused") ||
		strings.Contains(lower, "network is unreachable") || strings.Contains(lower, "dial tcp") || strings.Contains(lower, "tls handshake timeout"):
		if viaMirror {
			hint = fmt.Sprintf("the engine cannot reach the mirror %s: check the network, or load a bundle (--load FILE)", mirror)
			break
		}
		// The raw error names a DNS lookup or a dial: say what it means,
		// and the two ways a workshop gets images without the registry.
		return fmt.Errorf("pull %s: the image could not be downloaded: the engine cannot reach its registry (no internet here, or the registry is unreachable from this network: %s); check the network, or get the images another way: a bundle from your instructor (`dockdojo prepare --load FILE`), or the classroom's registry (`dockdojo prepare --mirror HOST:PORT`, or DOCKDOJO_MIRROR=HOST:PORT set for `dockdojo prepare`)", from, msg)
	case strings.Contains(lower, "pull access denied") || strings.Contains(lower, "unauthorized"):
		hint = "the registry refused it: the name may be wrong, or the image private (docker login)"
	}
	if hint != "" {
		return fmt.Errorf("pull %s: %s; %s", from, msg, hint)
	}
	return fmt.Errorf("pull %s: %w", from, err)
}

// SaveImages writes the images that refs name to w as one tar in the
// format of `docker save`: layers that several images share are stored
// once, and loading it gives the images back under these names.
func (e *Engine) SaveImages(ctx context.Context, refs []string, w io.Writer) error {
	for _, ref := range refs {
		if _, err := e.InspectImage(ctx, ref); err != nil {
			return fmt.Errorf("save images: %w", err)
		}
	}
	rc, err := e.cli.ImageSave(ctx, refs)
	if err != nil {
		return e.wrap("save images", err)
	}
	defer rc.Close()
	if _, err := io.Copy(w, rc); err != nil {
		return fmt.Errorf("save images: %w", err)
	}
	return nil
}

// LoadImages loads a tar written by SaveImages or `docker save` from r and
// returns the names of the images it loaded (an untagged image by its ID).
func (e *Engine) LoadImages(ctx context.Context, r io.Reader) ([]string, error) {
	resp, err := e.cli.ImageLoad(ctx, r, client.ImageLoadWithQuiet(true))
	if err != nil {
		return nil, e.wrap("load images", err)
	}
	defer resp.Body.Close()
	var loaded []string
	note := func(line string) {
		for _, prefix := range []string{"Loaded image: ", "Loaded image ID: "} {
			if name, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
				loaded = append(loaded, name)
			}
		}
	}
	if !resp.JSON {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			note(sc.Text())
		}
		return loaded, sc.Err()
	}
	dec := json.NewDecoder(resp.Body)
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			return loaded, fmt.Errorf("load images: read the engine's answer: %w", err)
		}
		if m.Error != nil {
			return loaded, fmt.Errorf("load images: %s; is the file a bundle written by `dockdojo prepare --save` or `docker save`?", m.Error.Message)
		}
		for _, line := range strings.Split(m.Stream, "\n") {
			note(line)
		}
	}
	return loaded, nil
}
