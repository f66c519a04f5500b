// Package classroomcmd is the command line of the classroom: an
// instructor's serve and export, and a learner's join. The server, its
// store and the learner's link live in the classroom package.
package classroomcmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockdojo/dockdojo/classroom"
	"github.com/dockdojo/dockdojo/cmd/internal/cmdutil"
)

type joinOptions struct {
	F     *cmdutil.Factory
	URL   string
	Code  string
	Name  string
	Leave bool
}

func NewCmdJoin(f *cmdutil.Factory) *cobra.Command {
	opts := &joinOptions{F: f}
	cmd := &cobra.Command{
		Use:   "join URL CODE",
		Short: "Join a classroom: your instructor's dashboard then sees your progress",
		Long: `Join the classroom your instructor runs with "dockdojo classroom serve". From
then on start, check, hint and solution tell the instructor's dashboard what
you did: which exercise, whether the check passed, which check failed and the
first line of what it said, how many hints you used, whether you saw the
solution. Nothing else is sent, and nothing is ever sent to your machine.
When the classroom cannot be reached, events wait on disk and go with a
later command.

  dockdojo join URL CODE [--name NAME]   join (again, e.g. to change your name)
  dockdojo join                          which classroom you are in; send what waits
  dockdojo join --leave                  forget the classroom; nothing is sent any more`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case opts.Leave && len(args) > 0:
				return cmdutil.Usage(errors.New("join --leave takes no URL or code"))
			case len(args) != 0 && len(args) != 2:
				return cmdutil.Usage(errors.New("join takes the classroom's URL and its join code, e.g. `dockdojo join http://192.168.1.20:7077 KXRMTP`"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 2 {
				opts.URL, opts.Code = args[0], args[1]
			}
			return runJoin(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Name, "name", "", "the name the instructor sees (default: your login name)")
	cmd.Flags().BoolVar(&opts.Leave, "leave", false, "forget the classroom and the events still waiting")
	return cmd
}

func runJoin(ctx context.Context, opts *joinOptions) error {
	f := opts.F
	w := f.IOStreams.Out
	path := classroom.ConfigPath(f.Getenv, f.Home)
	queue := classroom.Queue{Dir: classroom.QueueDir(f.Getenv, f.Home)}
	old, oldErr := classroom.LoadConfig(path)
	switch {
	case opts.Leave:
		waiting := queue.Len()
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("leave the classroom: %w", err)
		}
		if err := queue.Clear(); err != nil {
			return err
		}
		if old == nil && oldErr == nil {
			fmt.Fprintln(w, "You are not in a classroom; nothing is sent.")
			return nil
		}
		where := "the classroom"
		if old != nil {
			where += " at " + old.URL
		}
		fmt.Fprintf(w, "Left %s; %d waiting events forgotten. Nothing is sent any more.\n", where, waiting)
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
		sent, err := classroom.Sender{Config: old, Queue: queue}.Flush(ctx)
		fmt.Fprintf(w, "In the classroom at %s as %s since %s.\n", old.URL, old.Name, old.Joined.Local().Format("2006-01-02 15:04"))
		if sent > 0 {
			fmt.Fprintf(w, "Sent %d waiting events.\n", sent)
		}
		if n := queue.Len(); n > 0 {
			fmt.Fprintf(w, "%d events wait to be sent", n)
			if err != nil {
				fmt.Fprintf(w, ": %v", err)
			}
			fmt.Fprintln(w)
		} else if err == nil {
			fmt.Fprintln(w, "Everything you did has reached the classroom.")
		}
		if errors.Is(err, classroom.ErrNotMember) {
			return fmt.Errorf("the classroom at %s no longer knows you; join again with `dockdojo join %s CODE`", old.URL, old.URL)
		}
		return nil
	}

	base, err := classroom.NormalizeURL(opts.URL)
	if err != nil {
		return cmdutil.Usage(err)
	}
	name := opts.Name
	if name == "" {
		name = cmpOr(f.Getenv("DOCKDOJO_NAME"), f.Getenv("USER"), f.Getenv("USERNAME"), f.Getenv("LOGNAME"))
		if name == "" {
			return cmdutil.Usage(errors.New("no login name to show the instructor: pass --name NAME"))
		}
	}
	if name, err = classroom.CleanName(name); err != nil {
		return cmdutil.Usage(fmt.Errorf("--name: %v", err))
	}
	oldToken := ""
	if old != nil && old.URL == base {
		oldToken = old.Token
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cfg, err := classroom.Join(ctx, &http.Client{}, base, opts.Code, name, oldToken)
	var apiErr *classroom.APIError
	switch {
	case errors.Is(err, classroom.ErrWrongCode):
		return cmdutil.Usage(fmt.Errorf("the classroom at %s does not accept the code %q; check it on the instructor's screen", base, opts.Code))
	case errors.As(err, &apiErr):
		return fmt.Errorf("join the classroom at %s: %w", base, err)
	case err != nil:
		return fmt.Errorf("cannot reach the classroom at %s: %w\nIs the address right, and is this machine on the instructor's network?", base, err)
	}
	if old != nil && old.URL != base {
		// Events of another classroom must not go to this one.
		if err := queue.Clear(); err != nil {
			return err
		}
	}
	if err := cfg.Save(path); err != nil {
		return err
	}
	fmt.Fprintf(w, "Joined the classroom at %s as %s.\n", cfg.URL, cfg.Name)
	fmt.Fprintln(w, "From now on start, check, hint and solution tell the instructor's dashboard which")
	fmt.Fprintln(w, "exercise you are on, which check fails and how many hints you used; nothing else.")
	fmt.Fprintln(w, "`dockdojo join --leave` stops it.")
	return nil
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func NewCmdClassroom(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "classroom",
		Short: "For instructors: a dashboard of who is stuck, fed by the learners' dockdojo",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newServeCmd(f), newExportCmd(f))
	return cmd
}

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

--binaries DIR hands out dockdojo itself: DIR holds a release's files (every
platform's archive, SHA256SUMS, install.sh, install.ps1), and learners install
with "curl -fsSL http://HOST:PORT/install.sh | sh" (or install.ps1 on Windows),
checked against the classroom's SHA256SUMS. --bundle FILE hands out an image
bundle of "dockdojo prepare --save". The page at http://HOST:PORT/ shows both.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runServe(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:7077", "address to listen on; 0.0.0.0:7077 serves the room")
	cmd.Flags().StringVar(&opts.Data, "data", "", "folder of the classroom's database (default $XDG_STATE_HOME/dockdojo/classroom)")
	cmd.Flags().BoolVar(&opts.NewCode, "new-code", false, "make a new join code (learners who joined stay in)")
	cmd.Flags().BoolVar(&opts.RemoteDashboard, "dashboard-remote", false, "also show the dashboard to other machines that have its address")
	cmd.Flags().IntVar(&opts.StuckFails, "stuck-fails", 5, "a learner looks stuck after this many failed checks on their exercise")
	cmd.Flags().DurationVar(&opts.StuckAfter, "stuck-after", 15*time.Minute, "or after this long on their exercise without passing")
	cmd.Flags().StringVar(&opts.Binaries, "binaries", "", "hand out dockdojo for every platform from the release folder `DIR`, with a one-line install")
	cmd.Flags().StringArrayVar(&opts.Bundles, "bundle", nil, "hand out the image bundle `FILE` made by prepare --save (repeatable)")
	return cmd
}

// classroomData is the classroom's data folder: --data, else beside the
// progress file.
func classroomData(f *cmdutil.Factory, flag string) string {
	if flag != "" {
		if abs, err := filepath.Abs(flag); err == nil {
			return abs
		}
		return flag
	}
	return filepath.Join(filepath.Dir(f.ProgressPath()), "classroom")
}

func runServe(ctx context.Context, opts *serveOptions) error {
	f := opts.F
	if opts.StuckFails < 1 || opts.StuckAfter < time.Minute {
		return cmdutil.Usage(errors.New("--stuck-fails must be at least 1 and --stuck-after at least 1m"))
	}
	c, err := f.Course()
	if err != nil {
		return err
	}
	var keys []string
	for _, ex := range c.Exercises() {
		keys = append(keys, ex.Key())
	}
	dir := classroomData(f, opts.Data)
	store, err := classroom.OpenStore(dir)
	if err != nil {
		return err
	}
	defer store.Close()
	var downloads *classroom.Downloads
	if opts.Binaries != "" || len(opts.Bundles) > 0 {
		if downloads, err = classroom.OpenDownloads(opts.Binaries, opts.Bundles); err != nil {
			return cmdutil.Usage(err)
		}
	}
	srv, err := classroom.NewServer(store, classroom.Options{
		Exercises: keys, StuckFails: opts.StuckFails, StuckAfter: opts.StuckAfter,
		NewCode: opts.NewCode, RemoteDashboard: opts.RemoteDashboard, Downloads: downloads,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return cmdutil.Usage(fmt.Errorf("cannot listen on %s: %v; is another classroom running? Choose another port with --addr", opts.Addr, err))
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
	addr := ln.Addr().(*net.TCPAddr)
	fmt.Fprintf(w, "The classroom is open. Join code: %s\n\n", srv.JoinCode())
	fmt.Fprintln(w, "Learners type:")
	for _, u := range joinURLs(addr) {
		fmt.Fprintf(w, "  dockdojo join %s %s\n", u, srv.JoinCode())
	}
	if downloads != nil {
		downloads.WriteInstructions(w, joinURLs(addr))
	}
	if addr.IP.IsLoopback() {
		fmt.Fprintln(w, "\nOnly this machine can join. To let the room's laptops in, serve with --addr 0.0.0.0:7077.")
	}
	scope := "opens on this machine only"
	if opts.RemoteDashboard {
		scope = "opens anywhere"
	}
	fmt.Fprintf(w, "\nYour dashboard (%s; keep its address to yourself):\n  %s%s\n", scope, dashboardBase(opts.Addr, addr), srv.DashboardPath())
	fmt.Fprintf(w, "\nData: %s (kept when you stop; serve again to carry on)\n", store.Path())
	fmt.Fprintln(w, "Stop with Ctrl-C.")

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
		urls = append(urls, "http://"+net.JoinHostPort(cmpOr(host, "THIS-MACHINE"), port))
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

type exportOptions struct {
	F      *cmdutil.Factory
	Data   string
	Events bool
}

func newExportCmd(f *cmdutil.Factory) *cobra.Command {
	opts := &exportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Print the classroom's grid (or every event) as CSV, with or without the server running",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runExport(opts) },
	}
	cmd.Flags().StringVar(&opts.Data, "data", "", "folder of the classroom's database (default $XDG_STATE_HOME/dockdojo/classroom)")
	cmd.Flags().BoolVar(&opts.Events, "events", false, "every event, one per row, instead of one row per learner and exercise")
	return cmd
}

func runExport(opts *exportOptions) error {
	dir := classroomData(opts.F, opts.Data)
	if _, err := os.Stat(filepath.Join(dir, "classroom.db")); err != nil {
		return cmdutil.Usage(fmt.Errorf("no classroom data in %s; give the folder `dockdojo classroom serve` used with --data", dir))
	}
	store, err := classroom.OpenStore(dir)
	if err != nil {
		return err
	}
	defer store.Close()
	c, err := opts.F.Course()
	if err != nil {
		return err
	}
	var keys []string
	for _, ex := range c.Exercises() {
		keys = append(keys, ex.Key())
	}
	srv, err := classroom.NewServer(store, classroom.Options{Exercises: keys})
	if err != nil {
		return err
	}
	if opts.Events {
		return srv.WriteEventsCSV(opts.F.IOStreams.Out)
	}
	return srv.WriteGridCSV(opts.F.IOStreams.Out)
}
