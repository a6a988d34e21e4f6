package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// A variant is one server set-up compared: a binary, with its incremental
// paths on or off.
type variant struct {
	name   string
	server string
	off    bool // NGINXLS_NO_INCREMENTAL=1
}

// variants are the set-ups -compare and -baseline ask for: the server as
// it is first, against which the others are weighed.
func variants(server, baseline string, off bool) []variant {
	out := []variant{{name: "incremental", server: server}}
	if baseline != "" {
		out = append(out, variant{name: "baseline", server: baseline})
	}
	if off {
		out = append(out, variant{name: "NGINXLS_NO_INCREMENTAL=1", server: server, off: true})
	}
	return out
}

// sample is one round's measurement of a variant on one size.
type sample struct {
	char, newline time.Duration // p50 of the edits
	cpu           time.Duration // server CPU per edit
}

// compare runs every variant on every size, rounds times, alternating so
// that the machine's load falls on all alike, and prints the medians.
func (b *bench) compare(w io.Writer, vs []variant, rounds int) error {
	got := map[[2]int][]sample{} // variant, size
	for r := 0; r < rounds; r++ {
		for si, lines := range b.sizes {
			// Reversed every other round: no variant always follows the
			// same one.
			order := make([]int, len(vs))
			for i := range order {
				order[i] = i
			}
			if r%2 == 1 {
				slices.Reverse(order)
			}
			for _, vi := range order {
				s, err := b.measure(vs[vi], lines)
				if err != nil {
					return fmt.Errorf("%s, %s: %w", vs[vi].name, sizeName(lines), err)
				}
				got[[2]int{vi, si}] = append(got[[2]int{vi, si}], s)
			}
		}
	}
	fmt.Fprintf(w, "didChange to publishDiagnostics, p50 of %d edits (a character typed and deleted) and of %d (a line break), median of %d rounds [lowest, highest]; server CPU per edit\n",
		b.edits, newlineEdits(b.edits), rounds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "size\tvariant\tcharacter p50\tvs %s\tline break p50\tvs %[1]s\tCPU/edit\t\n", vs[0].name)
	for si, lines := range b.sizes {
		base := median(got[[2]int{0, si}], func(s sample) time.Duration { return s.char })
		baseNL := median(got[[2]int{0, si}], func(s sample) time.Duration { return s.newline })
		for vi, v := range vs {
			ss := got[[2]int{vi, si}]
			char := func(s sample) time.Duration { return s.char }
			nl := func(s sample) time.Duration { return s.newline }
			cpu := func(s sample) time.Duration { return s.cpu }
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", sizeName(lines), v.name,
				spread(ss, char), change(median(ss, char), base),
				spread(ss, nl), change(median(ss, nl), baseNL), ms(median(ss, cpu)))
		}
	}
	return tw.Flush()
}

// measure starts a server, opens the configuration of the given size and
// times the edits.
func (b *bench) measure(v variant, lines int) (sample, error) {
	env := b.env
	if v.off {
		env = offEnv(true)
	}
	c, err := startClient(v.server, env)
	if err != nil {
		return sample{}, err
	}
	defer c.cmd.Process.Kill() //nolint:errcheck // after stop, a no-op
	if _, err := c.initialize(b.options); err != nil {
		return sample{}, err
	}
	c.notify("initialized", map[string]any{})
	uri, text := fmt.Sprintf("file:///bench/%d.conf", lines), config(lines)
	if _, _, err := c.open(uri, text); err != nil {
		return sample{}, err
	}
	var s sample
	cpu := cpuTime(c.cmd.Process.Pid)
	lat, err := c.editLoop(uri, text, b.edits, "x")
	if err != nil {
		return s, err
	}
	s.cpu = (cpuTime(c.cmd.Process.Pid) - cpu) / time.Duration(b.edits)
	sortDurations(lat)
	s.char = pct(lat, 50)
	if lat, err = c.editLoop(uri, text, newlineEdits(b.edits), "\n"); err != nil {
		return s, err
	}
	sortDurations(lat)
	s.newline = pct(lat, 50)
	return s, c.stop()
}

func median(ss []sample, f func(sample) time.Duration) time.Duration {
	d := make([]time.Duration, len(ss))
	for i, s := range ss {
		d[i] = f(s)
	}
	sortDurations(d)
	return pct(d, 50)
}

func spread(ss []sample, f func(sample) time.Duration) string {
	d := make([]time.Duration, len(ss))
	for i, s := range ss {
		d[i] = f(s)
	}
	sortDurations(d)
	return fmt.Sprintf("%s [%.2f, %.2f]", ms(pct(d, 50)), float64(d[0].Microseconds())/1000, float64(d[len(d)-1].Microseconds())/1000)
}

// change is how much slower (+) or faster (-) d is than base.
func change(d, base time.Duration) string {
	if base <= 0 {
		return "-"
	}
	return fmt.Sprintf("%+.0f%%", 100*(float64(d)/float64(base)-1))
}
