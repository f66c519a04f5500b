package checker

import (
	"os/exec"
	"testing"
	"time"
)

// TestComposeName: the name an exercise gives the container of a service
// is the one it owns named after the project and the service, or else the
// one it owns named after the project alone, when one service is left.
func TestComposeName(t *testing.T) {
	site := Scope{Containers: []string{"dojo-cmp-site-web", "dojo-cmp-site-monitor", "dojo-cmp-site_monitor_1", "dojo-cmp-site-monitor-1"}}
	tests := []struct {
		name     string
		scope    Scope
		project  string
		service  string
		services []string
		want     string
	}{
		{"project-service", Scope{Containers: []string{"dojo-cmp-hello-web"}}, "dojo-cmp-hello", "web", []string{"web"}, "dojo-cmp-hello-web"},
		{"a v1 spelling owned", Scope{Containers: []string{"shop_web"}}, "shop", "web", []string{"web"}, "shop_web"},
		{"one of two services", site, "dojo-cmp-site", "monitor", []string{"web", "monitor"}, "dojo-cmp-site-monitor"},
		{"the other", site, "dojo-cmp-site", "web", []string{"web", "monitor"}, "dojo-cmp-site-web"},
		{"the project's name alone", Scope{Containers: []string{"dojo-try-site"}}, "dojo-try-site", "web", []string{"web"}, "dojo-try-site"},
		{"named after the project, the service left", Scope{Containers: []string{"shop-web", "shop-store"}}, "shop", "db", []string{"web", "db"}, "shop-store"},
		{"two left for it", Scope{Containers: []string{"shop-a", "shop-b"}}, "shop", "web", []string{"web"}, ""},
		{"two services left", Scope{Containers: []string{"shop"}}, "shop", "web", []string{"web", "db"}, ""},
		{"none owned", Scope{Networks: []string{"shop_default"}}, "shop", "web", []string{"web"}, ""},
		{"Compose's own names are no choice", Scope{Containers: []string{"shop_web_1"}}, "shop", "api", []string{"api"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := composeName(tt.scope, tt.project, tt.service, tt.services); got != tt.want {
				t.Errorf("composeName = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestComposeNamed: a container Compose named itself is the near miss of
// the name the learner meant to give it.
func TestComposeNamed(t *testing.T) {
	tests := []struct {
		want  string
		names []string
		found string
	}{
		{"dojo-cmp-hello-web", []string{"other", "dojo-cmp-hello_web_1"}, "dojo-cmp-hello_web_1"},
		{"dojo-cmp-hello-web", []string{"dojo-cmp-hello-web-2"}, "dojo-cmp-hello-web-2"},
		{"dojo-try-site", []string{"dojo-try-site_web_1"}, "dojo-try-site_web_1"},
		{"dojo-try-site", []string{"dojo-try-site_web_1", "dojo-try-site_db_1"}, ""},
		{"dojo-try-site", []string{"dojo-try-site-old"}, ""},
		{"dojo-web", []string{"dojo-webs_1"}, ""},
	}
	for _, tt := range tests {
		if got := composeNamed(tt.want, tt.names); got != tt.found {
			t.Errorf("composeNamed(%q, %q) = %q, want %q", tt.want, tt.names, got, tt.found)
		}
	}
}

// TestComposeContainerNames: a container of the exercise's Compose
// project that Compose named itself (the learner left out
// container_name) is the learner's to rename, not a check to refuse;
// and the container the exercise names, made by another project or by
// docker run, is the name that `up -d` finds taken. Neither is looked
// into.
func TestComposeContainerNames(t *testing.T) {
	eng, labels, ctx := onEngine(t, 2*time.Minute)
	if _, err := exec.LookPath("docker"); err != nil {
		t.Fatalf("the docker CLI is needed to create what a learner would: %v", err)
	}
	id := suffix()
	unnamed, taken, ran, partly, other := "dojotest-cn-"+id, "dojotest-ct-"+id, "dojotest-cr-"+id, "dojotest-cp-"+id, "dojotest-co-"+id
	composed := func(name, project, service string, more ...string) {
		args := []string{"run", "-d", "--name", name, "--label", ComposeProjectLabel + "=" + project, "--label", composeService + "=" + service}
		args = append(append(args, more...), "busybox:1.36", "sleep", "300")
		docker(t, labels, args...)
	}
	// docker-compose v1, without container_name.
	composed(unnamed+"_web_1", unnamed, "web")
	// Made by `docker compose -p mysite up -d`, or from another folder.
	composed(taken, "mysite-"+id, "web", "--label", composeWorkingDirLabel+"=/home/ada/mysite")
	docker(t, labels, "run", "-d", "--name", ran+"-web", "busybox:1.36", "sleep", "300")
	composed(partly+"-db", partly, "db")
	composed(partly+"-web", "mysite-"+id, "web")
	composed(other+"-web", other, "httpd")
	env := Env{Target: eng, Labels: labels, Scope: Scope{Containers: []string{unnamed + "-web", taken, ran + "-web", partly + "-web", partly + "-db", other + "-web"}}}
	runCases(t, ctx, env, []checkCase{
		{"the service's container named by Compose", &ComposeServices{Project: unnamed, Services: []string{"web"}},
			"in Compose project " + unnamed + ", the container of service web is named " + unnamed + "_web_1, not " + unnamed + "-web: give web `container_name: " + unnamed + "-web` in compose.yaml, then run `docker compose up -d` again"},
		{"did you mean the service's container", &ContainerExists{Container: unnamed + "-web"},
			"there is no container named " + unnamed + "-web (found " + unnamed + "_web_1, which Docker Compose made for service web of project " + unnamed + "; did you mean " + unnamed + "-web?"},
		{"the name taken by another project", &ComposeServices{Project: taken, Services: []string{"web"}},
			"Compose project " + taken + " has no containers: the container " + taken + " is there, but Compose project mysite-" + id + " made it, in the folder /home/ada/mysite, and Compose cannot make another under that name: remove it with `docker compose -p mysite-" + id + " down` in that folder, or with `docker rm -f " + taken + "`; then run `docker compose up -d` in the folder " + taken + ", which names the project"},
		{"the name taken by docker run", &ComposeServices{Project: ran, Services: []string{"web"}},
			"Compose project " + ran + " has no containers: the container " + ran + "-web is there, but Docker Compose did not make it (`docker run` did?), and Compose cannot make one under a name that is taken: remove it with `docker rm -f " + ran + "-web`"},
		{"one service's name taken", &ComposeServices{Project: partly, Services: []string{"db", "web"}},
			"Compose project " + partly + " has no service web: the container " + partly + "-web is there, but Compose project mysite-" + id + " made it"},
		{"the service named otherwise", &ComposeServices{Project: other, Services: []string{"web"}},
			"Compose project " + other + " has no service web: the container " + other + "-web is there, made for its service httpd: the service must be called web in compose.yaml; then run `docker compose up -d` again"},
	})
	// Checked in its first second, a container is waited for and looked at
	// again, which must not reach one the exercise does not own.
	young := "dojotest-cy-" + id
	composed(young+"_web_1", young, "web")
	env.Scope.Containers = append(env.Scope.Containers, young+"-web")
	runCases(t, ctx, env, []checkCase{{"in its first second", &ComposeServices{Project: young, Services: []string{"web"}}, "the container of service web is named " + young + "_web_1, not " + young + "-web"}})
}
