package classroom

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Readiness is a laptop's `dockdojo doctor` in short, as a learner's
// dockdojo reports it: in the join request, and later as an event of kind
// "readiness" (after `doctor` or `prepare` ran again). The dashboard lists
// who is not ready, so the instructor can go and help before the workshop
// starts.
type Readiness struct {
	// Engine says whether the Docker engine answered.
	Engine bool `json:"engine"`
	// EngineVersion is the engine's version, e.g. "20.10.24+dfsg1" or
	// "28.5.1"; "" when it did not answer.
	EngineVersion string `json:"engine_version,omitempty"`
	// ImagesMissing counts the course's images not on the laptop;
	// MissingImages names them, the first MaxMissingImages of them.
	ImagesMissing int      `json:"images_missing"`
	MissingImages []string `json:"missing_images,omitempty"`
	// Failed names the doctor checks that failed ("engine", "socket",
	// "container", ...), at most MaxFailedChecks.
	Failed []string `json:"failed,omitempty"`
	// Version is the laptop's dockdojo version.
	Version string `json:"dockdojo_version,omitempty"`
}

// Bounds on a readiness report. A client shortens what is longer (Clean);
// the server rejects it (Validate).
const (
	MaxMissingImages = 50    // names in Readiness.MissingImages
	MaxImageRefLen   = 255   // characters of one image name
	MaxFailedChecks  = 20    // names in Readiness.Failed
	MaxVersionLen    = 40    // runes of a version
	maxImagesMissing = 10000 // Readiness.ImagesMissing
)

var (
	imageRefRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$`)
	doctorCheckRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)
)

// Validate reports what is wrong with a readiness report, or nil.
func (r *Readiness) Validate() error {
	switch {
	case r.ImagesMissing < 0 || r.ImagesMissing > maxImagesMissing:
		return fmt.Errorf("readiness: images_missing: want 0 to %d", maxImagesMissing)
	case len(r.MissingImages) > MaxMissingImages:
		return fmt.Errorf("readiness: missing_images: at most %d names", MaxMissingImages)
	case len(r.MissingImages) > r.ImagesMissing:
		return errors.New("readiness: missing_images names more images than images_missing counts")
	case len(r.Failed) > MaxFailedChecks:
		return fmt.Errorf("readiness: failed: at most %d checks", MaxFailedChecks)
	}
	for _, ref := range r.MissingImages {
		if len(ref) > MaxImageRefLen || !imageRefRE.MatchString(ref) {
			return fmt.Errorf("readiness: missing_images: %q is not an image name", truncate(ref, 60))
		}
	}
	for _, name := range r.Failed {
		if !doctorCheckRE.MatchString(name) {
			return fmt.Errorf("readiness: failed: %q is not a doctor check's name (lowercase letters, digits, _ and -)", truncate(name, 60))
		}
	}
	if err := textField("readiness: engine_version", r.EngineVersion, MaxVersionLen); err != nil {
		return err
	}
	return textField("readiness: dockdojo_version", r.Version, MaxVersionLen)
}

// Clean makes a report fit the bounds before it is sent: lists are cut,
// names that could not be valid are dropped, versions shortened.
func (r *Readiness) Clean() {
	r.ImagesMissing = min(max(r.ImagesMissing, len(r.MissingImages), 0), maxImagesMissing)
	var refs []string
	for _, ref := range r.MissingImages {
		if len(ref) <= MaxImageRefLen && imageRefRE.MatchString(ref) && len(refs) < MaxMissingImages {
			refs = append(refs, ref)
		}
	}
	r.MissingImages = refs
	var failed []string
	for _, name := range r.Failed {
		if doctorCheckRE.MatchString(name) && len(failed) < MaxFailedChecks {
			failed = append(failed, name)
		}
	}
	r.Failed = failed
	r.EngineVersion = truncate(oneLine(r.EngineVersion), MaxVersionLen)
	r.Version = truncate(oneLine(r.Version), MaxVersionLen)
}

// Ready says whether the laptop can do the course: the engine answers, no
// image is missing, no doctor check failed.
func (r *Readiness) Ready() bool {
	return r.Engine && r.ImagesMissing == 0 && len(r.Failed) == 0
}

// Problems says in words what keeps the laptop from being ready, most
// important first.
func (r *Readiness) Problems() []string {
	var p []string
	if !r.Engine {
		p = append(p, "Docker engine not reachable")
	}
	if len(r.Failed) > 0 {
		p = append(p, "doctor fails: "+strings.Join(r.Failed, ", "))
	}
	if r.ImagesMissing > 0 {
		s := plural(r.ImagesMissing, "image") + " missing"
		if len(r.MissingImages) > 0 {
			s += ": " + strings.Join(r.MissingImages, ", ")
			if r.ImagesMissing > len(r.MissingImages) {
				s += ", …"
			}
		}
		p = append(p, s)
	}
	return p
}
