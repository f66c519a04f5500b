package lessons

import (
	"reflect"
	"testing"
	"testing/fstest"
)

func TestScriptImages(t *testing.T) {
	tests := []struct {
		name        string
		script      string
		used, built []string
	}{
		{"run with flags", `docker run -d --name dojo-web -p 8080:80 -v "$PWD/site":/usr/local/apache2/htdocs:ro httpd:2.4`, []string{"httpd:2.4"}, nil},
		{"continued lines", "docker run -d --name dojo-net-ping --network dojo-net-lan \\\n  busybox:1.36 sleep 3600", []string{"busybox:1.36"}, nil},
		{"grouped booleans", "docker run -dit --rm debian:bookworm-slim", []string{"debian:bookworm-slim"}, nil},
		{"short flag with attached value", "docker run -p8080:80 -eA=b httpd:2.4", []string{"httpd:2.4"}, nil},
		{"boolean then value flag", "docker run -dp 8080:80 httpd:2.4 httpd-foreground", []string{"httpd:2.4"}, nil},
		{"long flag with =", "docker run --name=x --network=none --tmpfs /scratch:size=16m busybox:1.36 sleep 1", []string{"busybox:1.36"}, nil},
		{"create and container run", "docker create --name later httpd:2.4\ndocker container run --rm busybox:1.36 true", []string{"httpd:2.4", "busybox:1.36"}, nil},
		{"pull", "docker pull --platform linux/amd64 python:2.7-slim", []string{"python:2.7-slim"}, nil},
		{"registry and digest", "docker run --rm ghcr.io/acme/tool:1.2 x\ndocker pull busybox@sha256:" + sha, []string{"ghcr.io/acme/tool:1.2", "busybox@sha256:" + sha}, nil},
		{"after operators", "docker network create n && docker run -d --network n busybox:1.36 sleep 1 || true; echo done | docker run -i busybox:1.36 cat", []string{"busybox:1.36"}, nil},
		{"untagged image is not trusted", "docker run --rm busybox echo hi", nil, nil},
		{"variable image is not understood", `IMG=busybox:1.36; docker run --rm "$IMG" echo hi; docker run $IMG`, nil, nil},
		{"the command is not the image", "docker run --rm busybox:1.36 wget -O- example.org:80", []string{"busybox:1.36"}, nil},
		{"global flags", "docker -H unix:///tmp/d.sock run --rm busybox:1.36 true", []string{"busybox:1.36"}, nil},
		{"other commands name no image", "docker exec dojo-web cat /etc/os-release\ndocker logs dojo-web\ndocker ps --filter name=x:y", nil, nil},
		{"comments", "# docker run httpd:2.4\ndocker run --rm busybox:1.36 true # httpd:2.4", []string{"busybox:1.36"}, nil},
		{"build tags", "docker build -t dojo-df-site:1.0 site\ndocker build --tag=dojo-a:1 -f x/Dockerfile .\ndocker buildx build -q -t dojo-b:2 .", nil, []string{"dojo-df-site:1.0", "dojo-a:1", "dojo-b:2"}},
		{"tag and commit", "docker tag busybox:1.36 dojo-mine:1\ndocker commit dojo-box dojo-snap:1", []string{"busybox:1.36"}, []string{"dojo-mine:1", "dojo-snap:1"}},
		{"dockerfile heredoc", "cat > site/Dockerfile <<'EOF'\nFROM httpd:2.4 AS base\nFROM base\nCOPY --from=busybox:1.36 /bin/busybox /bin/\nCOPY --from=0 /a /b\nCOPY --from=base /c /d\nEOF\ndocker build -t dojo-df-site:1.0 site",
			[]string{"httpd:2.4", "busybox:1.36"}, []string{"dojo-df-site:1.0"}},
		{"heredoc body is not shell", "cat > notes.txt <<EOF\ndocker run busybox:1.36\nEOF", nil, nil},
		{"indented heredoc", "cat > Dockerfile <<-EOF\n\tFROM debian:bookworm-slim\n\tEOF\n", []string{"debian:bookworm-slim"}, nil},
		{"compose heredoc", "cat > compose.yaml <<'EOF'\nservices:\n  web:\n    image: httpd:2.4\n  app:\n    build: .\n    image: dojo-app:1.0\nEOF\ndocker compose up -d",
			[]string{"httpd:2.4"}, []string{"dojo-app:1.0"}},
		{"scratch and variables in FROM", "docker build -t x:1 - <<EOF\nARG BASE=busybox:1.36\nFROM ${BASE}\nFROM scratch\nEOF", nil, []string{"x:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s imageScan
			s.script(tt.script)
			if !reflect.DeepEqual(s.used, tt.used) {
				t.Errorf("used = %q, want %q", s.used, tt.used)
			}
			if !reflect.DeepEqual(s.built, tt.built) {
				t.Errorf("built = %q, want %q", s.built, tt.built)
			}
		})
	}
}

const sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestNormalizeImageRef(t *testing.T) {
	tests := []struct{ in, want string }{
		{"busybox", "busybox:latest"},
		{"busybox:1.36", "busybox:1.36"},
		{"docker.io/library/busybox:1.36", "busybox:1.36"},
		{"library/busybox:1.36", "busybox:1.36"},
		{"localhost:5000/x", "localhost:5000/x:latest"},
		{"busybox@sha256:" + sha, "busybox@sha256:" + sha},
	}
	for _, tt := range tests {
		if got := normalizeImageRef(tt.in); got != tt.want {
			t.Errorf("normalizeImageRef(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCourseImages reads a small course from files, as Load does, and lists
// what it needs: sandbox and check images, solution images, starter
// Dockerfiles and Compose files, without the images the course builds.
func TestCourseImages(t *testing.T) {
	fsys := fstest.MapFS{
		"one/one.md": {Data: []byte("---\nformat_version: 1\nid: one\ntitle: One\nsummary: s\norder: 1\nminutes: 5\n---\n\n# One\n\n" +
			"```exercise\nid: a\ntitle: A\ngoal: g\nflavour: shell\nsandbox:\n  image: debian:bookworm-slim\nchecks:\n  - kind: exec\n    command: [\"true\"]\nhints: [h]\nsolution: docker run --rm busybox:1.36 true\n```\n\n" +
			"```exercise\nid: b\ntitle: B\ngoal: g\nflavour: build\nworkspace: [app/Dockerfile, compose.yaml]\nchecks:\n  - kind: image_exists\n    image: dojo-app:1.0\n  - kind: script\n    image: alpine:3.20\n    script: \"true\"\nhints: [h]\nsolution: |\n  docker build -t dojo-app:1.0 app\n  docker run --rm busybox:1.36 true\nowns:\n  images: [\"dojo-app:1.0\"]\n```\n")},
		"one/app/Dockerfile": {Data: []byte("# syntax=docker/dockerfile:1\nFROM python:2.7-slim AS build\nFROM build\n")},
		"one/compose.yaml":   {Data: []byte("services:\n  db:\n    image: postgres:16\n  app:\n    build: app\n    image: dojo-app:1.0\n")},
	}
	c, err := Load(Source{FS: fsys, Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	got := c.Images()
	want := []ImageNeed{
		{"debian:bookworm-slim", []string{"one/a"}},
		{"busybox:1.36", []string{"one/a", "one/b"}},
		{"alpine:3.20", []string{"one/b"}},
		{"python:2.7-slim", []string{"one/b"}},
		{"postgres:16", []string{"one/b"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Images() =\n%v\nwant\n%v", got, want)
	}
}
