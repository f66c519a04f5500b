package checker

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/dockdojo/dockdojo/lessons"
	"github.com/dockdojo/dockdojo/sandbox"
)

// httpGet asks through the named container's own port binding, so the reply
// is tied to that container and not to whatever else listens on the host.
func httpGet(ctx context.Context, env Env, c lessons.Check) (string, error) {
	ct, msg, err := container(ctx, env, c.Container)
	if msg != "" || err != nil {
		return msg, err
	}
	if !ct.Running {
		return fmt.Sprintf("container %s is not running, so it cannot answer", c.Container), nil
	}
	port := normPort(c.Port)
	bindings := ct.Ports[port]
	if len(bindings) == 0 {
		return fmt.Sprintf("port %s of %s is not published, so nothing outside the container can reach it; %s", port, c.Container, publishedList(ct)), nil
	}
	host := env.Target.HostAddress()
	if ip := bindings[0].HostIP; ip != "" && ip != "0.0.0.0" && ip != "::" {
		host = ip
	}
	path := c.Path
	if path == "" {
		path = "/"
	}
	url := "http://" + net.JoinHostPort(host, bindings[0].HostPort) + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := env.HTTP.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return fmt.Sprintf("nothing answered at %s (%v); is the server inside %s listening on port %s?", url, rootCause(err), c.Container, port), nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Sprintf("the answer from %s broke off: %v", url, err), nil
	}
	want := c.Status
	if want == 0 {
		want = http.StatusOK
	}
	if resp.StatusCode != want {
		return fmt.Sprintf("GET %s answered %s, expected %d %s", url, resp.Status, want, http.StatusText(want)), nil
	}
	if c.BodyContains != "" && !strings.Contains(string(body), c.BodyContains) {
		return fmt.Sprintf("the page at %s does not contain %q; it starts with %s", url, c.BodyContains, quoteShort(string(body))), nil
	}
	if c.BodyEqualsFile != "" {
		file := filepath.Join(env.Workspace, filepath.FromSlash(c.BodyEqualsFile))
		want, err := os.ReadFile(file)
		if err != nil {
			return fmt.Sprintf("cannot read %s from your workspace to compare: %v", c.BodyEqualsFile, err), nil
		}
		if !bytes.Equal(bytes.TrimSpace(body), bytes.TrimSpace(want)) {
			return fmt.Sprintf("the page at %s is not your %s; it starts with %s", url, c.BodyEqualsFile, quoteShort(string(body))), nil
		}
	}
	return "", nil
}

func rootCause(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}

// nameResolves asks from inside the network namespace of From, with a probe
// that shares it, and ties the answer to the container the name must lead to.
func nameResolves(ctx context.Context, env Env, c lessons.Check) (string, error) {
	from, msg, err := container(ctx, env, c.From)
	if msg != "" || err != nil {
		return msg, err
	}
	if !from.Running {
		return fmt.Sprintf("container %s is not running, so it cannot look up names", c.From), nil
	}
	res, err := env.Target.Probe(ctx, sandbox.ProbeSpec{
		Image:       ProbeImage,
		Cmd:         []string{"nslookup", c.Name},
		NetworkMode: "container:" + from.Name,
		Labels:      env.Labels,
	})
	if err != nil {
		return "", err
	}
	addrs := lookedUp(res.Stdout)
	if len(addrs) == 0 {
		if c.Address != "" {
			return fmt.Sprintf("from %s, the name %s does not resolve; is the container using your DNS server?", c.From, c.Name), nil
		}
		return fmt.Sprintf("from %s, the name %s does not resolve; containers find each other by name only on the same user-defined network", c.From, c.Name), nil
	}
	if c.Address != "" {
		if slices.Contains(addrs, c.Address) {
			return "", nil
		}
		return fmt.Sprintf("from %s, the name %s resolves to %s, expected %s", c.From, c.Name, strings.Join(addrs, ", "), c.Address), nil
	}
	toName := c.To
	if toName == "" {
		toName = c.Name
	}
	to, msg, err := container(ctx, env, toName)
	if msg != "" || err != nil {
		return msg, err
	}
	var theirs []string
	for netName, a := range to.Networks {
		for _, ip := range addrs {
			if a.IP != "" && a.IP == ip {
				return "", nil
			}
		}
		if a.IP != "" {
			theirs = append(theirs, a.IP+" on "+netName)
		}
	}
	return fmt.Sprintf("from %s, the name %s resolves to %s, which is not container %s (it has %s)", c.From, c.Name, strings.Join(addrs, ", "), toName, orNone(theirs, "no address")), nil
}

// orNone lists the strings, or says none when there are none.
func orNone(list []string, none string) string {
	if len(list) == 0 {
		return none
	}
	return strings.Join(sortStrings(list), ", ")
}

// lookedUp reads the addresses of the answer from busybox nslookup output:
// the "Address" lines after the first "Name:" line.
func lookedUp(out string) []string {
	var addrs []string
	answer := false
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "Name:") {
			answer = true
			continue
		}
		if !answer || !strings.HasPrefix(line, "Address") {
			continue
		}
		_, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			continue
		}
		if ip := net.ParseIP(fields[0]); ip != nil {
			addrs = append(addrs, ip.String())
		}
	}
	return addrs
}

func sortStrings(s []string) []string {
	sort.Strings(s)
	return s
}

func compile(expr string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("output_matches %q: %w", expr, err)
	}
	return re, nil
}
