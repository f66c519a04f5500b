// Command dockdojo is a terminal workshop that teaches Docker by doing.
package main

import (
	"os"

	"github.com/dockdojo/dockdojo/cmd/internal/factory"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
	"github.com/dockdojo/dockdojo/cmd/internal/root"
)

func main() {
	home, _ := os.UserHomeDir()
	os.Exit(root.Main(os.Args[1:], factory.New(iostreams.System(), os.Getenv, home)))
}
