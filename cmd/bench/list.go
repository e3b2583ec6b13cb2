package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"lockbench/impl"
	"lockbench/store"
	"lockbench/workload"
)

func init() { commands["list"] = cmdList }

// listing is what `bench list` shows; also its JSON form.
type listing struct {
	Strategies []listItem `json:"strategies"`
	Workloads  []listItem `json:"workloads"`
	Suites     []listItem `json:"suites"`
	Stores     []listItem `json:"stores"`
}

type listItem struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Detail      string `json:"detail,omitempty"`
}

func cmdList(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bench list [--format text|json]\n\nLists the registered strategies, the embedded workloads and suites, and the store kinds.")
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args, stderr); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("list: unexpected argument %q", fs.Arg(0))
	}
	l, err := buildListing()
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(l)
	case "text":
		return writeListing(stdout, l)
	default:
		return badInput("list: --format %q: want text or json", *format)
	}
}

func buildListing() (listing, error) {
	var l listing
	for _, name := range impl.Names() {
		s, err := impl.Lookup(name)
		if err != nil {
			return l, err
		}
		l.Strategies = append(l.Strategies, listItem{Name: name, Description: s.Description})
	}
	for _, spec := range workload.Builtin() {
		l.Workloads = append(l.Workloads, listItem{Name: spec.Name, Description: spec.Description})
	}
	for _, s := range workload.Suites() {
		l.Suites = append(l.Suites, listItem{Name: s.Name, Description: s.Description})
	}
	for _, k := range store.Kinds() {
		var opts []string
		for _, o := range k.Options {
			opts = append(opts, o.Name+"="+o.Syntax)
		}
		detail := ""
		if len(opts) > 0 {
			detail = k.Name + ":" + strings.Join(opts, ",")
		}
		l.Stores = append(l.Stores, listItem{Name: k.Name, Description: k.Description, Detail: detail})
	}
	return l, nil
}

func writeListing(w io.Writer, l listing) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	section := func(title string, items []listItem) {
		fmt.Fprintf(tw, "%s:\n", title)
		for _, it := range items {
			fmt.Fprintf(tw, "  %s\t%s\n", it.Name, it.Description)
			if it.Detail != "" {
				fmt.Fprintf(tw, "  \t  %s\n", it.Detail)
			}
		}
		fmt.Fprintln(tw)
	}
	section("strategies", l.Strategies)
	section("workloads", l.Workloads)
	section("suites", l.Suites)
	section("stores", l.Stores)
	return tw.Flush()
}
