package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/workspace"
)

func main() {
	runtime.MemProfileRate = 64 * 1024
	ws := workspace.New(workspace.Options{Analyzers: rules.All})
	rep := ws.Check(context.Background(), os.Args[1:2])
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	
	fmt.Println(len(rep.Diagnostics), "diags; heap inuse MB", ms.HeapInuse>>20, "total alloc MB", ms.TotalAlloc>>20)
	f, _ := os.Create(os.Args[2])
	pprof.Lookup("heap").WriteTo(f, 0)
	f.Close()
	runtime.KeepAlive(rep)
}
