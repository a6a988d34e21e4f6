package main

import (
	"fmt"
	"os"
)

func main() {
	cmds, err := readCommands(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, c := range cmds {
		fmt.Printf("%s\t%s\t%08x\t%08x\n", c.Name, c.Module, c.ModuleType, c.Type)
	}
}
