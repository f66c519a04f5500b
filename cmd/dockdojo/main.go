// Command dockdojo is a terminal workshop that teaches Docker by doing.
package main

import (
	"os"

	"github.com/dockdojo/dockdojo/cmd/internal/cli"
	"github.com/dockdojo/dockdojo/cmd/internal/iostreams"
)

func main() {
	home, _ := os.UserHomeDir()
	f := cli.NewFactory(iostreams.System(), os.Getenv, home)
	os.Exit(cli.Main(os.Args[1:], f))
}
