# The checks of an exercise as another course would script them: one docker
# CLI call (or curl) per check, each exact, stopping at the first failure.
# Sourced by the scripts beside it; $1 is the exercise's workspace folder.
set -eu
ws=${1:-.}

exists()   { docker inspect -f '{{.Id}}' "$1" >/dev/null; }
absent()   { if docker inspect -f '{{.Id}}' "$1" >/dev/null 2>&1; then return 1; fi; }
running()  { [ "$(docker inspect -f '{{.State.Running}}' "$1")" = true ]; }
state()    { [ "$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$1")" = "$2 $3" ]; }
status()   { [ "$(docker inspect -f '{{.State.Status}}' "$1")" = "$2" ]; }
logs_has() { docker logs "$1" 2>&1 | grep -qF "$2"; }
port()     { docker port "$1" "$2" | grep -q ":$3\$"; }
net()      { [ "$(docker network inspect -f '{{.Driver}}' "$1")" = "$2" ]; }
on_net()   { docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$1" | grep -qw -- "$2"; }
mounted()  { docker inspect -f '{{range .Mounts}}{{.Type}} {{.Destination}}{{"\n"}}{{end}}' "$1" | grep -qx "$2 $3"; }
vol_mount() { docker inspect -f '{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}}{{"\n"}}{{end}}' "$1" | grep -qx "volume $2 $3"; }
env_is()   { docker inspect -f '{{join .Config.Env "\n"}}' "$1" | grep -qx "$2"; }
cap()      { docker inspect -f '{{range .HostConfig.CapAdd}}{{println .}}{{end}}' "$1" | sed 's/^CAP_//' | grep -qx "$2"; }
device()   { docker inspect -f '{{range .HostConfig.Devices}}{{.PathOnHost}}:{{.PathInContainer}} {{end}}' "$1" | grep -qw "$2:$3"; }
vol()      { docker volume inspect "$1" >/dev/null; }
vol_file() { docker run --rm --network none -v "$1":/v:ro busybox:1.36 cat "/v/$2" | grep -qF "$3"; }
# exec_has CONTAINER TEXT CMD...: the command's output contains TEXT.
exec_has() { c=$1 t=$2; shift 2; docker exec "$c" "$@" | grep -qF -- "$t"; }
# exec_re CONTAINER REGEX CMD...: the output matches the extended REGEX.
exec_re()  { c=$1 r=$2; shift 2; docker exec "$c" "$@" | grep -qE -- "$r"; }
exec_ok()  { c=$1; shift; docker exec "$c" "$@" >/dev/null; }
# url CONTAINER PORT: where the container's published PORT answers.
url()      { echo "http://$(docker port "$1" "$2" | head -n1)"; }
http_file() { curl -fsS "$1" | cmp -s - "$2"; }
http_has() { curl -fsS "$1" | grep -qF "$2"; }
# resolves FROM NAME: NAME, looked up inside FROM, is an address of NAME.
resolves() {
	ips=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$2")
	docker exec "$1" nslookup "$2" | awk '/^Name:/ {a=1} a && /^Address/ {print $NF}' | grep -qwF "${ips% }"
}
