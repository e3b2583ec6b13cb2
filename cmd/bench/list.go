package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"lockbench/store"
	"lockbench/target"
	"lockbench/workload"
)

func init() { commands["list"] = cmdList }

// listing is what `bench list` shows; also its JSON form.
type listing struct {
	Targets   []listTarget `json:"targets"`
	Workloads []listItem   `json:"workloads"`
	Suites    []listItem   `json:"suites"`
	Stores    []listItem   `json:"stores"`
}

// listTarget is one system under test: its operations and strategies.
type listTarget struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Default     bool       `json:"default,omitempty"`
	Operations  []listOp   `json:"operations"`
	Strategies  []listItem `json:"strategies"`
	Consistency string     `json:"consistency,omitempty"`
}

type listOp struct {
	Name   string `json:"name"`
	Keyed  bool   `json:"keyed,omitempty"`
	Writes bool   `json:"writes,omitempty"`
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
		fmt.Fprintln(stderr, "usage: bench list [--format text|json]\n\nLists the targets (systems under test) with their operations and strategies, the embedded workloads and suites, and the store kinds.")
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args, stderr); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badInput("list: unexpected argument %s", quoteShort(fs.Arg(0)))
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
		return badInput("list: --format %s: want text or json", quoteShort(*format))
	}
}

func buildListing() (listing, error) {
	var l listing
	for _, name := range target.Names() {
		t, err := target.Lookup(name)
		if err != nil {
			return l, err
		}
		lt := listTarget{Name: t.Name, Description: t.Description, Default: t.Name == target.Default, Consistency: t.Consistency}
		for _, op := range t.Ops {
			lt.Operations = append(lt.Operations, listOp{Name: op.Name, Keyed: op.Keyed, Writes: op.Writes})
		}
		for _, s := range t.Strategies() {
			lt.Strategies = append(lt.Strategies, listItem{Name: s.Name, Description: s.Description})
		}
		l.Targets = append(l.Targets, lt)
	}
	for _, spec := range workload.Builtin() {
		it := listItem{Name: spec.Name, Description: spec.Description}
		if spec.Target != "" && spec.Target != target.Default {
			it.Detail = "target: " + spec.Target
		}
		l.Workloads = append(l.Workloads, it)
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
	fmt.Fprintln(tw, "targets:")
	for _, t := range l.Targets {
		desc := t.Description
		if t.Default {
			desc += " (default)"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", t.Name, desc)
		var ops []string
		for _, op := range t.Operations {
			ops = append(ops, op.Name)
		}
		fmt.Fprintf(tw, "  \t  operations: %s\n", strings.Join(ops, ", "))
		if t.Consistency != "" {
			fmt.Fprintf(tw, "  \t  consistency: %s\n", t.Consistency)
		}
	}
	fmt.Fprintln(tw)
	for _, t := range l.Targets {
		section("strategies of "+t.Name, t.Strategies)
	}
	section("workloads", l.Workloads)
	section("suites", l.Suites)
	section("stores", l.Stores)
	return tw.Flush()
}
