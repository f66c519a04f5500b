package classroomcmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
	"github.com/dockdojo/dockdojo/lessons"
)

type serveOptions struct {
	F               *cmdutil.Factory
	Addr            string
	Data            string
	NewCode         bool
	RemoteDashboard bool
	StuckFails      int
	StuckAfter      time.Duration
	Binaries        string   // --binaries DIR: a release set to hand out
	Bundles         []string // --bundle FILE: image bundles to hand out
}

func newServeCmd(f *cmdutil.Factory) *cobra.Command {
	opts := &serveOptions{F: f}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the classroom: prints the join code, serves the dashboard",
		Long: `Run the classroom server on this machine. It prints a join code and the command
learners type, and the address of your dashboard: a live grid of learners and
exercises, who looks stuck, which check trips most people, and CSV exports.

By default only this machine can reach it (127.0.0.1): use --addr 0.0.0.0:7077
to let the room's laptops join. The dashboard needs the key in its address and
answers only this machine unless --dashboard-remote is given. The data (in
--data) survives a restart, and so does the join code unless --new-code.

Your own lessons (the folder given with --lessons, or DOCKDOJO_LESSONS) are
part of the classroom's course and are offered to the learners: "dockdojo
join" fetches them (checked by their SHA-256) and every command of the
learner's dockdojo then includes them, with no flag. Give one folder; put
several lessons in subfolders of it.

--binaries DIR hands out dockdojo itself: DIR holds a release's files (every
platform's archive, SHA256SUMS, install.sh, install.ps1), and learners install
with "curl -fsSL http://HOST:PORT/install.sh | sh" (or install.ps1 on Windows),
checked against the classroom's SHA256SUMS. --bundle FILE hands out an image
bundle of "dockdojo prepare --save". The page at http://HOST:PORT/ shows both.`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runServe(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:7077", "address to listen on; 0.0.0.0:7077 serves the room")
	cmd.Flags().StringVar(&opts.Data, "data", "", "folder of the classroom's database (default $XDG_STATE_HOME/dockdojo/classroom)")
	cmd.Flags().BoolVar(&opts.NewCode, "new-code", false, "make a new join code (learners who joined stay in)")
	cmd.Flags().BoolVar(&opts.RemoteDashboard, "dashboard-remote", false, "also show the dashboard to other machines that have its address")
	cmd.Flags().IntVar(&opts.StuckFails, "stuck-fails", classroom.DefaultStuckFails, fmt.Sprintf("a learner looks stuck after this many failed checks on their exercise (at least %d)", classroom.MinStuckFails))
	cmd.Flags().DurationVar(&opts.StuckAfter, "stuck-after", classroom.DefaultStuckAfter, fmt.Sprintf("or after this long on their exercise without passing (at least %s)", classroom.MinStuckAfter))
	cmd.Flags().StringVar(&opts.Binaries, "binaries", "", "hand out dockdojo for every platform from the release folder `DIR`, with a one-line install")
	cmd.Flags().StringArrayVar(&opts.Bundles, "bundle", nil, "hand out the image bundle `FILE` made by prepare --save (repeatable)")
	return cmd
}

// classroomData is the classroom's data folder: --data, else beside the
// progress file, which needs HOME or XDG_STATE_HOME.
func classroomData(f *cmdutil.Factory, flag string) (string, error) {
	if flag != "" {
		if abs, err := filepath.Abs(flag); err == nil {
			return abs, nil
		}
		return flag, nil
	}
	dir := filepath.Join(filepath.Dir(f.ProgressPath()), "classroom")
	return dir, cmdutil.NeedHome(f, dir)
}

// lessonsLookEvery is how often serve looks whether the instructor's lesson
// folder changed: a stat of each file, no reading.
const lessonsLookEvery = 2 * time.Second

func runServe(ctx context.Context, opts *serveOptions) error {
	f := opts.F
	if opts.StuckFails < classroom.MinStuckFails || opts.StuckAfter < classroom.MinStuckAfter {
		return cmdutil.Usagef("--stuck-fails must be at least %d and --stuck-after at least %s", classroom.MinStuckFails, classroom.MinStuckAfter)
	}
	c, err := f.Course()
	if err != nil {
		return err
	}
	offered, err := offeredLessons(f)
	if err != nil {
		return err
	}
	var follower *lessonFollower
	if offered.FS != nil {
		// Stamped before the server packs the folder: an edit made
		// meanwhile is handed out at the first look.
		follower = &lessonFollower{f: f, offered: offered, w: f.IOStreams.Out, errW: f.IOStreams.ErrOut}
		follower.stamp, _ = folderStamp(offered.FS)
	}
	var downloads *classroom.Downloads
	if opts.Binaries != "" || len(opts.Bundles) > 0 {
		if downloads, err = classroom.OpenDownloads(opts.Binaries, opts.Bundles); err != nil {
			return cmdutil.Usage(err)
		}
	}
	// Listen before anything is written: a serve that cannot listen leaves
	// no classroom data behind.
	if _, _, err := net.SplitHostPort(opts.Addr); err != nil || opts.Addr == "" {
		return cmdutil.Usagef("--addr %q: give a host and a port, like 127.0.0.1:7077 (this machine only) or 0.0.0.0:7077 (the room)", opts.Addr)
	}
	ln, err := net.Listen("tcp", opts.Addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		// The command line is right; something else holds the port now:
		// an error of this machine (exit 1), not of the command line.
		return fmt.Errorf("cannot listen on %s: the port is taken; is another classroom running? Choose another port with --addr", opts.Addr)
	case err != nil:
		return cmdutil.Usagef("cannot listen on %s: %v; choose another address with --addr (a host and a port of this machine, like 0.0.0.0:7077)", opts.Addr, err)
	}
	defer ln.Close()
	addr := ln.Addr().(*net.TCPAddr)
	dir, err := classroomData(f, opts.Data)
	if err != nil {
		return err
	}
	// A folder another serve holds is, like a taken port, this machine's
	// state, not a mistake in the command line: exit 1.
	store, err := classroom.OpenStore(dir)
	if err != nil {
		return err
	}
	defer store.Close()
	urls := joinURLs(addr)
	// Served with --replace, the lessons are the learners' whole course
	// too.
	whole := offered.FS != nil && !slices.ContainsFunc(c.Lessons, func(l *lessons.Lesson) bool { return l.Builtin })
	srv, err := classroom.NewServer(store, classroom.Options{
		Course: CourseOf(c), JoinURLs: urls, Lessons: offered.FS, Replace: whole,
		StuckFails: opts.StuckFails, StuckAfter: opts.StuckAfter,
		NewCode: opts.NewCode, RemoteDashboard: opts.RemoteDashboard, Downloads: downloads,
	})
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    8 << 10,
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	w := f.IOStreams.Out
	fmt.Fprintf(w, "The classroom is open. Join code: %s\n\n", srv.JoinCode())
	fmt.Fprintln(w, "Learners type:")
	for _, u := range urls {
		fmt.Fprintf(w, "  dockdojo join %s %s\n", u, srv.JoinCode())
	}
	if info := srv.Lessons(); info.SHA256 != "" {
		instead := ""
		if info.Replace {
			instead = ", in place of the built-in course"
		}
		fmt.Fprintf(w, "\nJoining also gives them your lessons in %s (%s, %s, SHA-256 %s...)%s.\n", offered.Name, cmdutil.Plural(c.From(offered), "lesson"), cmdutil.Plural(info.Files, "file"), info.SHA256[:12], instead)
	}
	if downloads != nil {
		downloads.WriteInstructions(w, urls)
	}
	if addr.IP.IsLoopback() {
		fmt.Fprintf(w, "\nOnly this machine can join. To let the room's laptops in, serve with --addr 0.0.0.0:%d.\n", addr.Port)
	}
	scope := "opens on this machine only"
	if opts.RemoteDashboard {
		scope = "opens anywhere"
	}
	fmt.Fprintf(w, "\nYour dashboard (%s; keep its address to yourself):\n  %s%s\n", scope, dashboardBase(opts.Addr, addr), srv.DashboardPath())
	fmt.Fprintf(w, "\nData: %s (kept when you stop; serve again to carry on)\n", store.Path())
	if exercises, quizzes := srv.Outside(); len(exercises)+len(quizzes) > 0 {
		fmt.Fprintf(w, "\nThis classroom's data has events of %s that this course lacks (%s): the dashboard does not show them, and learners' new events of them are refused. Serve with the lesson folder that has them: dockdojo --lessons DIR classroom serve\n",
			exercisesAndQuizzes(exercises, quizzes), someOf(append(exercises, quizzes...), 3))
	}
	fmt.Fprintln(w, "Stop with Ctrl-C.")
	if follower != nil {
		follower.srv, follower.sha = srv, srv.Lessons().SHA256
		followCtx, stop := context.WithCancel(ctx)
		defer stop()
		go follower.follow(followCtx, lessonsLookEvery)
	}

	select {
	case err := <-served:
		return fmt.Errorf("classroom server: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = hs.Shutdown(shutdown)
	fmt.Fprintf(w, "\nThe classroom is closed. Its data is kept in %s.\n", dir)
	return nil
}

// joinURLs are the addresses learners can use: the listening address, or,
// when listening on every interface, each of this machine's own addresses.
func joinURLs(addr *net.TCPAddr) []string {
	port := fmt.Sprint(addr.Port)
	if !addr.IP.IsUnspecified() {
		return []string{"http://" + net.JoinHostPort(addr.IP.String(), port)}
	}
	var urls []string
	ifaces, _ := net.Interfaces()
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 || virtualBridge(ifc.Name) {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok || ipn.IP.To4() == nil || ipn.IP.IsLinkLocalUnicast() {
				continue
			}
			urls = append(urls, "http://"+net.JoinHostPort(ipn.IP.String(), port))
		}
	}
	if len(urls) == 0 {
		host, _ := os.Hostname()
		urls = append(urls, "http://"+net.JoinHostPort(cmp.Or(host, "THIS-MACHINE"), port))
	}
	return urls
}

// virtualBridge reports whether an interface is one that container engines
// and virtual machines make on this machine: no laptop in the room reaches
// it.
func virtualBridge(name string) bool {
	for _, prefix := range []string{"docker", "br-", "veth", "virbr", "cni", "podman", "lxcbr", "vmnet", "vboxnet"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// dashboardBase is how the instructor reaches the server from this machine:
// over loopback when it listens on every interface. requested is the --addr
// given: Go reports 0.0.0.0 as [::] on a dual-stack machine.
func dashboardBase(requested string, addr *net.TCPAddr) string {
	port := fmt.Sprint(addr.Port)
	if !addr.IP.IsUnspecified() {
		return "http://" + net.JoinHostPort(addr.IP.String(), port)
	}
	if host, _, err := net.SplitHostPort(requested); err == nil && strings.Contains(host, ":") {
		return "http://" + net.JoinHostPort("::1", port)
	}
	return "http://" + net.JoinHostPort("127.0.0.1", port)
}

// CourseOf is the course's structure as the classroom groups it: lessons
// and their exercises and quizzes, in course order.
func CourseOf(c *lessons.Course) []classroom.CourseLesson {
	var out []classroom.CourseLesson
	for _, l := range c.Lessons {
		cl := classroom.CourseLesson{ID: l.ID, Title: l.Title}
		for _, ex := range l.Exercises {
			cl.Exercises = append(cl.Exercises, classroom.CourseExercise{ID: ex.ID, Title: ex.Title})
		}
		for _, q := range l.Quizzes {
			cl.Quizzes = append(cl.Quizzes, classroom.CourseQuiz{ID: q.ID})
		}
		out = append(out, cl)
	}
	return out
}

// offeredLessons is the instructor's lesson folder that join hands out: the
// one folder of --lessons or DOCKDOJO_LESSONS; none when there is none.
func offeredLessons(f *cmdutil.Factory) (lessons.Source, error) {
	srcs, _, err := f.Sources()
	if err != nil {
		return lessons.Source{}, err
	}
	var own []lessons.Source
	for _, s := range srcs {
		if !s.Builtin {
			own = append(own, s)
		}
	}
	switch len(own) {
	case 0:
		return lessons.Source{}, nil
	case 1:
		return own[0], nil
	}
	names := make([]string, len(own))
	for i, s := range own {
		names[i] = s.Name
	}
	return lessons.Source{}, cmdutil.Usagef("the classroom hands one lesson folder to the learners, and %d are given (%s): put them in subfolders of one folder and give that", len(own), strings.Join(names, ", "))
}

// exercisesAndQuizzes counts exercises and quizzes: "2 exercises", "1
// exercise and 3 quizzes".
func exercisesAndQuizzes(exercises, quizzes []string) string {
	var parts []string
	if len(exercises) > 0 {
		parts = append(parts, cmdutil.Plural(len(exercises), "exercise"))
	}
	switch len(quizzes) {
	case 0:
	case 1:
		parts = append(parts, "1 quiz")
	default:
		parts = append(parts, fmt.Sprintf("%d quizzes", len(quizzes)))
	}
	return strings.Join(parts, " and ")
}

// someOf lists the first n of names, and says when there are more.
func someOf(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}
