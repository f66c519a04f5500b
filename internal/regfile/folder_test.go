package regfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestInTheWay: a file where a folder, or a folder on its way, should be
// is named, with the command that moves it away; folders that are there,
// or not there yet, are nothing in the way.
func TestInTheWay(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my home")
	if err := os.MkdirAll(filepath.Join(dir, "state"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "state", "dockdojo")
	if err := os.WriteFile(file, []byte("notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, dir, want string }{
		{"the folder is a file", file, file},
		{"a folder on its way is a file", filepath.Join(file, "locks"), file},
		{"the folder is there", filepath.Join(dir, "state"), ""},
		{"the folder is not there yet", filepath.Join(dir, "new", "dockdojo"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := InTheWay("state folder", tc.dir)
			var nf *NotFolderError
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("InTheWay(%s) = %v; want nil", tc.dir, err)
			case tc.want == "":
			case !errors.As(err, &nf) || nf.Path != tc.want:
				t.Fatalf("InTheWay(%s) = %v; want %s named", tc.dir, err, tc.want)
			case err.Error() != "state folder "+tc.want+" is a file, not a folder: move it away (`mv '"+tc.want+"' '"+tc.want+".old'`) and run again":
				t.Errorf("message: %s", err)
			}
		})
	}
}
