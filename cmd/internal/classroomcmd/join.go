package classroomcmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/user"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/cmd/internal/doctorcmd"
	"github.com/dockdojo/dockdojo/lessons"
)

type joinOptions struct {
	F     *cmdutil.Factory
	URL   string
	Code  string
	Name  string
	Leave bool
	// NameGiven: --name was given, even empty.
	NameGiven bool
}

func NewCmdJoin(f *cmdutil.Factory) *cobra.Command {
	opts := &joinOptions{F: f}
	cmd := &cobra.Command{
		Use:   "join URL CODE",
		Short: "Join a classroom: your instructor's dashboard then sees your progress",
		Long: `Join the classroom your instructor runs with "dockdojo classroom serve". From
then on start, check, watch, hint and solution tell the instructor's
dashboard what you did: which exercise, whether the check passed, which check failed and the
first line of what it said, how many hints you used, whether you saw the
solution; and each quiz you answer, whether you got it right (not which
choices you picked). Nothing else is sent, and nothing is ever sent to your
machine.
When the classroom cannot be reached, events wait on disk and go with a
later command.

  dockdojo join URL CODE [--name NAME]   join (again: for new lessons, a new code
                                         or address, or to change your name)
  dockdojo join                          which classroom you are in; send what waits
  dockdojo join --leave                  forget the classroom; nothing is sent any more

A classroom keeps the row and the name of a learner who left for the laptop
they left from, which keeps the classroom's token to prove it: typed there,
the join line brings them back. From another laptop, the instructor lets
them join again on their page of the dashboard.`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case opts.Leave && len(args) > 0:
				return cmdutil.Usage(errors.New("join --leave takes no URL or code"))
			case len(args) == 0 && cmd.Flags().Changed("name"):
				return cmdutil.Usage(errors.New("--name goes with the classroom's URL and code: `dockdojo join URL CODE --name NAME` (joining again renames you)"))
			case len(args) != 0 && len(args) != 2:
				return cmdutil.Usage(errors.New("join takes the classroom's URL and its join code, e.g. `dockdojo join http://192.168.1.20:7077 KXRMTP`"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 2 {
				opts.URL, opts.Code = args[0], args[1]
				// The code typed first: each is told apart from the
				// other, a code having none of an address's dots,
				// colons or slashes.
				if codeLike(opts.URL) && !codeLike(opts.Code) {
					opts.URL, opts.Code = opts.Code, opts.URL
				}
			}
			opts.NameGiven = cmd.Flags().Changed("name")
			return runJoin(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Name, "name", "", "the name the instructor sees (default: the name you joined with before, else your login name)")
	cmd.Flags().BoolVar(&opts.Leave, "leave", false, "forget the classroom and the events still waiting")
	return cmd
}

func runJoin(ctx context.Context, opts *joinOptions) error {
	f := opts.F
	// Everything join prints may quote the classroom (the name it gave,
	// why it refused an event): shown, never obeyed by the terminal.
	w := cmdutil.Printable(f.IOStreams.Out)
	path := classroom.ConfigPath(f.Getenv, f.Home)
	queue := classroom.Queue{Dir: classroom.QueueDir(f.Getenv, f.Home)}
	if err := cmdutil.NeedHome(f, path, queue.Dir); err != nil {
		return err
	}
	old, oldErr := classroom.LoadConfig(path)
	left := classroom.LeftClassrooms{Path: classroom.LeftPath(f.Getenv, f.Home)}
	switch {
	case opts.Leave:
		waiting := queue.Len()
		// Its token stays, for this laptop alone to come back.
		if old != nil {
			if err := left.Add(*old); err != nil {
				return err
			}
		}
		told := tellLeaving(ctx, old, queue)
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("leave the classroom: %w", err)
		}
		if err := queue.Clear(); err != nil {
			return err
		}
		lessonsDir := classroom.LessonsDir(f.Getenv, f.Home)
		had, _ := classroom.LoadInstalledLessons(lessonsDir)
		if err := classroom.RemoveLessons(lessonsDir); err != nil {
			return err
		}
		if had != nil {
			fmt.Fprintf(w, "Removed the classroom's lessons from %s.\n", lessonsDir)
		}
		if old == nil && oldErr == nil {
			fmt.Fprintln(w, "You are not in a classroom; nothing is sent.")
			return nil
		}
		where := "the classroom"
		if old != nil {
			where += " at " + old.URL
		}
		fmt.Fprintf(w, "Left %s; %s forgotten. Nothing is sent any more.\n", where, cmdutil.Plural(waiting, "waiting event"))
		switch told {
		case leaveHeard:
			fmt.Fprintf(w, "The classroom knows: its dashboard shows you left, and this laptop may join it again under the name %s (`dockdojo join %s CODE --name %s`); from another laptop, ask your instructor to let you join again (on your page of the dashboard).\n", old.Name, old.URL, cmdutil.ShellQuote(old.Name))
		case leaveUnheard:
			fmt.Fprintf(w, "The classroom did not answer, so it does not know you left: the name %s stays yours there, for this laptop to join again with; from another laptop, ask your instructor to let you join again (on your page of the dashboard).\n", old.Name)
		}
		return nil
	case opts.URL == "":
		if oldErr != nil {
			return oldErr
		}
		if old == nil {
			fmt.Fprintln(w, "You are not in a classroom. Join one with `dockdojo join URL CODE` (your instructor shows both).")
			return nil
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		flushed, err := classroom.Sender{Config: old, Queue: queue}.Send(ctx)
		fmt.Fprintf(w, "In the classroom at %s as %s since %s.\n", old.URL, old.Name, old.Joined.Local().Format("2006-01-02 15:04"))
		if sent := flushed.Sent; sent > 0 {
			fmt.Fprintf(w, "Sent %s.\n", cmdutil.Plural(sent, "waiting event"))
		}
		if len(flushed.Refused) > 0 {
			fmt.Fprintf(w, "But %s.\n", classroom.RefusedNotice(old.URL, flushed.Refused))
		}
		if n := queue.Len(); n > 0 {
			verb := "wait"
			if n == 1 {
				verb = "waits"
			}
			fmt.Fprintf(w, "%s %s to be sent", cmdutil.Plural(n, "event"), verb)
			if err != nil {
				fmt.Fprintf(w, ": %v", err)
			}
			fmt.Fprintln(w)
		} else if err == nil && len(flushed.Refused) == 0 {
			fmt.Fprintln(w, "Everything you did has reached the classroom.")
		}
		if errors.Is(err, classroom.ErrNotMember) {
			return fmt.Errorf("the classroom at %s no longer knows this laptop: you were removed, or joined from another laptop since; join again with `dockdojo join %s CODE`", old.URL, old.URL)
		}
		return nil
	}

	base, err := classroom.NormalizeURL(opts.URL)
	if err != nil {
		return cmdutil.Usage(err)
	}
	name := opts.Name
	// before: the classroom joined before, whose name stays; the one left
	// at this address, to come back to, before another joined since.
	before := old
	if kept := left.At(base); kept != nil && (old == nil || old.URL != base) {
		before = kept
	}
	switch {
	case name == "" && opts.NameGiven:
		return cmdutil.Usage(errors.New("--name needs the name the instructor is to see, e.g. --name \"Ada L\""))
	case name == "" && before != nil:
		// The name chosen before stays: a join line typed again (for
		// new lessons, a new code or address, after leaving) does not
		// rename anyone.
		if name, err = classroom.CleanName(before.Name); err != nil {
			return cmdutil.Usage(fmt.Errorf("the name you joined with before, %q, cannot be shown to the instructor (%v): pass --name NAME", before.Name, err))
		}
	case name == "":
		login := cmp.Or(f.Getenv("DOCKDOJO_NAME"), f.Getenv("USER"), f.Getenv("USERNAME"), f.Getenv("LOGNAME"), loginName())
		if login == "" {
			return cmdutil.Usage(errors.New("no login name to show the instructor: pass --name NAME"))
		}
		if name, err = classroom.CleanName(shortLogin(login)); err != nil {
			return cmdutil.Usage(fmt.Errorf("your login name %q cannot be shown to the instructor (%v): pass --name NAME", login, err))
		}
	default:
		if name, err = classroom.CleanName(name); err != nil {
			return cmdutil.Usage(fmt.Errorf("--name: %v", err))
		}
	}
	// The instructor sees whether this laptop is ready: doctor's summary
	// goes with the join.
	rep := doctorcmd.Diagnose(ctx, f)
	req := classroom.JoinRequest{Code: opts.Code, Name: name, Readiness: doctorcmd.Readiness(rep)}
	// back: the classroom this laptop left, whose token it sends (or
	// proves) to come back to its row; nil when it sends the joined one's.
	var back *classroom.Config
	switch {
	case old != nil && old.URL == base:
		req.Token = old.Token
	case left.At(base) != nil:
		back = left.At(base)
		req.Token = back.Token
	case old != nil:
		// Another address may be the same classroom, moved (the
		// instructor's laptop got a new address): it tells from a proof
		// of the token, which only it can check and which gives no one
		// else the token.
		req.ProveToken(old.Token)
	case left.Latest() != nil:
		// The classroom left last, moved since.
		back = left.Latest()
		req.ProveToken(back.Token)
	}
	hc := &http.Client{}
	joiner := classroom.Joiner{HTTP: hc, Waiting: func(slow *classroom.APIError) {
		what := "wrong join codes"
		if slow.Reason == classroom.SlowJoins {
			what = "new learners"
		}
		fmt.Fprintf(w, "The classroom is slowing down %s from your network; trying again in %d s.\n", what, int(slow.RetryAfter/time.Second))
	}}
	cfg, resp, err := joiner.Join(ctx, base, req)
	var apiErr *classroom.APIError
	switch {
	case errors.Is(err, classroom.ErrWrongCode) && req.Token != "":
		// An old join line typed again after the instructor made a new
		// code: the learner is likely still in, which the refusal alone
		// would make them doubt.
		return cmdutil.Usage(fmt.Errorf("the classroom at %s does not accept the code %q (it may have a new one; check the instructor's screen). You joined it before as %s: `dockdojo join` alone says whether it still knows you, without a code", base, opts.Code, old.Name))
	case errors.Is(err, classroom.ErrWrongCode):
		return cmdutil.Usage(fmt.Errorf("the classroom at %s does not accept the code %q; check it on the instructor's screen", base, opts.Code))
	case errors.As(err, &apiErr):
		return fmt.Errorf("join the classroom at %s: %w", base, err)
	case errors.Is(err, classroom.ErrNotClassroom):
		return fmt.Errorf("%w; is it the address your instructor shows?", err)
	case err != nil && strings.HasPrefix(base, "https://") && strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return cmdutil.Usage(fmt.Errorf("the classroom at %s speaks http, not https: join with `dockdojo join http://%s %s`", base, strings.TrimPrefix(base, "https://"), opts.Code))
	case err != nil:
		return fmt.Errorf("cannot reach the classroom at %s: %w\nIs the address right, and is this machine on the instructor's network?", base, err)
	}
	// Another classroom: at another address, or at the same one when the
	// classroom says it does not know the learner (one that says so at
	// all: it takes left events). Events of the old one must not go to
	// this one, and the old one is told the learner left it, so that
	// their name there stays theirs to come back to.
	same := resp.Known && back == nil // it knew the joined one's token
	moved := old != nil && old.URL != base && same
	other := old != nil && !same && (old.URL != base || slices.Contains(resp.Kinds, classroom.KindLeft))
	// removed: the instructor removed the learner whose token this laptop
	// sent; it is worth keeping for nothing, and they did not leave.
	removed := resp.Removed && req.Token != ""
	forgotten, told := 0, leaveUntold
	if other {
		forgotten = queue.Len()
		if !removed {
			if err := left.Add(*old); err != nil {
				return err
			}
		}
		if old.URL != base && !removed {
			told = tellLeaving(ctx, old, queue)
		}
		if err := queue.Clear(); err != nil {
			return err
		}
	}
	if err := cfg.Save(path); err != nil {
		return err
	}
	// The classroom at base is the joined one now; the one left that
	// brought the learner back is no longer left.
	if err := left.Remove(base); err != nil {
		return err
	}
	if back != nil && resp.Known {
		if err := left.Remove(back.URL); err != nil {
			return err
		}
	}
	switch {
	case moved:
		fmt.Fprintf(w, "Joined the classroom at %s as %s: the classroom you were in at %s, at its new address; what you did there is kept.\n", cfg.URL, cfg.Name, old.URL)
	case resp.Back:
		fmt.Fprintf(w, "Joined the classroom at %s as %s again: the dashboard has what you did before you left.\n", cfg.URL, cfg.Name)
	default:
		fmt.Fprintf(w, "Joined the classroom at %s as %s.\n", cfg.URL, cfg.Name)
	}
	switch told {
	case leaveHeard:
		fmt.Fprintf(w, "Left the classroom at %s: it knows, and keeps your name %s there for this laptop to come back to.\n", old.URL, old.Name)
	case leaveUnheard:
		fmt.Fprintf(w, "The classroom at %s, which you left, did not answer: it does not know you left it.\n", old.URL)
	}
	if removed {
		fmt.Fprintf(w, "Your instructor removed you from the classroom at %s, with what you did there: you joined it again as a new learner.\n", cfg.URL)
	}
	if forgotten > 0 {
		verb := "were"
		if forgotten == 1 {
			verb = "was"
		}
		if removed {
			fmt.Fprintf(w, "%s from before the removal %s forgotten.\n", cmdutil.Plural(forgotten, "event"), verb)
		} else {
			fmt.Fprintf(w, "%s for the classroom at %s, which you left, %s forgotten.\n", cmdutil.Plural(forgotten, "event"), old.URL, verb)
		}
	}
	// What waited for this classroom (joined again) goes now.
	sendCtx, cancelSend := context.WithTimeout(ctx, 5*time.Second)
	flushed, _ := classroom.Sender{Config: cfg, Queue: queue}.Send(sendCtx)
	cancelSend()
	if flushed.Sent > 0 {
		fmt.Fprintf(w, "Sent %s.\n", cmdutil.Plural(flushed.Sent, "waiting event"))
	}
	if len(flushed.Refused) > 0 {
		fmt.Fprintf(w, "But %s.\n", classroom.RefusedNotice(cfg.URL, flushed.Refused))
	}
	// One line each: the terminal's writer wraps them to its width.
	if cfg.Takes(classroom.KindAnswered) {
		fmt.Fprintln(w, "From now on start, check, hint and solution tell the instructor's dashboard which exercise you are on, which check fails and how many hints you used, and each quiz you answer whether you got it right (not what you picked); nothing else.")
	} else {
		fmt.Fprintln(w, "From now on start, check, hint and solution tell the instructor's dashboard which exercise you are on, which check fails and how many hints you used; nothing else.")
	}
	changed, err := syncLessons(ctx, f, w, hc, cfg, resp)
	if err != nil {
		return err
	}
	if changed {
		// The laptop was judged against the lessons it had: the images
		// the new ones need are judged now, and the instructor told.
		rep = doctorcmd.Diagnose(ctx, withCourseAsNow(f))
		f.Link().Report(classroom.Event{Kind: classroom.KindReadiness, Readiness: doctorcmd.Readiness(rep)})
	}
	if r := doctorcmd.Readiness(rep); r.Ready() {
		fmt.Fprintln(w, "This laptop is ready for the course; the instructor sees that too.")
	} else {
		fmt.Fprintf(w, "This laptop is not ready yet (%s): `dockdojo doctor` says how to fix it; the instructor sees it too.\n", strings.Join(r.Problems(), "; "))
	}
	fmt.Fprintln(w, "`dockdojo join --leave` stops it.")
	return nil
}

// What a classroom heard of a learner leaving it.
const (
	leaveUntold  = iota // an older classroom, which does not take it; or none
	leaveHeard          // it knows, and keeps the learner's name for this laptop
	leaveUnheard        // it did not answer
)

// tellLeaving tells the classroom of old, within a few seconds, that the
// learner leaves it; the events waiting in queue are forgotten first.
func tellLeaving(ctx context.Context, old *classroom.Config, queue classroom.Queue) int {
	if old == nil || !old.Takes(classroom.KindLeft) || queue.Clear() != nil {
		return leaveUntold
	}
	if err := queue.Add(classroom.Event{ID: classroom.NewEventID(), Kind: classroom.KindLeft, At: time.Now().UTC()}); err != nil {
		return leaveUnheard
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if sent, err := (classroom.Sender{Config: old, Queue: queue}).Send(ctx); err != nil || sent.Sent == 0 {
		return leaveUnheard
	}
	return leaveHeard
}

// withCourseAsNow is f with its course read again from its sources: the
// classroom's lessons changed on disk since f read it.
func withCourseAsNow(f *cmdutil.Factory) *cmdutil.Factory {
	g := *f
	g.Course = func() (*lessons.Course, error) {
		srcs, _, err := f.Sources()
		if err != nil {
			return nil, err
		}
		return lessons.LoadCached(lessons.CacheDir(f.Getenv, f.Home), srcs...)
	}
	return &g
}

// syncLessons fetches the lessons the classroom offers (or removes those of
// a classroom that offers none any more), says on w what was added, and
// reports whether the lessons on disk changed.
func syncLessons(ctx context.Context, f *cmdutil.Factory, w io.Writer, hc *http.Client, cfg *classroom.Config, resp *classroom.JoinResponse) (bool, error) {
	dir := classroom.LessonsDir(f.Getenv, f.Home)
	had, _ := classroom.LoadInstalledLessons(dir)
	if resp.Lessons == nil && had == nil {
		return false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	res, err := classroom.SyncLessons(ctx, hc, cfg, dir)
	if err != nil {
		return false, fmt.Errorf("fetch the classroom's lessons: %w; run `dockdojo join` again to retry", err)
	}
	switch {
	case res.Removed && had != nil && had.Source != cfg.URL:
		fmt.Fprintf(w, "Removed the lessons of the classroom at %s from %s: this one offers none of its own.\n", had.Source, dir)
	case res.Removed:
		fmt.Fprintf(w, "The classroom offers no lessons of its own any more; removed the copy in %s.\n", dir)
	case res.Lessons != nil:
		src, err := lessons.Folder(res.Lessons.Path)
		if err != nil {
			return false, err
		}
		c, err := lessons.Load(src)
		if err != nil {
			return false, cmdutil.Lessons(fmt.Errorf("the classroom's lessons have mistakes; tell your instructor:\n%w", err))
		}
		verb := "Added"
		switch {
		case !res.Changed:
			verb = "Kept"
		case had != nil:
			verb = "Updated"
		}
		uses := "every command includes them now"
		if res.Lessons.Replace {
			uses = "they are your whole course now, in place of the built-in one, until you leave the classroom"
		}
		fmt.Fprintf(w, "%s the classroom's lessons (%s, checked by SHA-256, kept in %s); %s:\n", verb, cmdutil.Plural(len(c.Lessons), "lesson"), dir, uses)
		for _, l := range c.Lessons {
			fmt.Fprintf(w, "  %-24s %s (%s)\n", l.ID, l.Title, cmdutil.Plural(len(l.Exercises), "exercise"))
		}
		if len(c.Lessons) > 0 {
			fmt.Fprintf(w, "Read the first with `dockdojo read %s`.\n", c.Lessons[0].ID)
		}
	}
	return res.Changed || res.Removed, nil
}

// shortLogin is a login name without the domain that a company's machines
// add to it: "john.doe" of "john.doe@corp.example" and of "CORP\\john.doe".
func shortLogin(login string) string {
	if i := strings.LastIndexByte(login, '\\'); i >= 0 {
		login = login[i+1:]
	}
	if user, _, ok := strings.Cut(login, "@"); ok && user != "" {
		login = user
	}
	return login
}

// loginName is the name the operating system knows the learner by, for
// when no environment variable says it.
func loginName() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// codeLike reports whether s could be a join code (letters and digits,
// with the spaces or dashes a learner may type), not an address.
func codeLike(s string) bool {
	return s != "" && !strings.ContainsAny(s, ".:/")
}
