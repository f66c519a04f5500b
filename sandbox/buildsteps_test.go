package sandbox

import "testing"

func TestLastStep(t *testing.T) {
	two := "Step 1/3 : FROM busybox:1.36\n ---> 1624615a2491\n" +
		"Step 2/3 : RUN echo one\n ---> Running in 1ee30be29601\none\nRemoving intermediate container 1ee30be29601\n ---> a1e1a88b2279\n"
	out := two + "Step 3/3 : RUN dd if=/dev/zero of=/dev/null bs=1500M count=1\n ---> Running in bb54e9c8f656\nKilled\nRemoving intermediate container bb54e9c8f656\n"
	for _, tt := range []struct{ out, step, id string }{
		{out, "RUN dd if=/dev/zero of=/dev/null bs=1500M count=1", "bb54e9c8f656"},
		// A step that runs no container: the one before is not it.
		{two + "Step 3/3 : COPY missing /x\n", "COPY missing /x", ""},
		{"", "", ""},
	} {
		if step, id := lastStep(tt.out); step != tt.step || id != tt.id {
			t.Errorf("lastStep(%q) = %q, %q; want %q, %q", tt.out, step, id, tt.step, tt.id)
		}
	}
}

// Without the engine's events, a step killed (code 137) is taken to have
// needed too much memory, at once; any other code is not.
func TestOutOfMemoryWithoutEvents(t *testing.T) {
	w := &stepWatch{broken: true, changed: make(chan struct{})}
	if !w.outOfMemory("bb54e9c8f656", 137) || w.outOfMemory("bb54e9c8f656", 2) {
		t.Error("without events, want code 137 and only it taken for memory")
	}
	w = &stepWatch{oom: map[string]bool{}, died: map[string]bool{"bb54e9c8f656aa": true}, changed: make(chan struct{})}
	if w.outOfMemory("bb54e9c8f656", 137) {
		t.Error("a step that died with no oom reported is taken for memory")
	}
	w.oom["bb54e9c8f656aa"] = true
	if !w.outOfMemory("bb54e9c8f656", 2) {
		t.Error("a step with an oom reported is not taken for memory")
	}
}
