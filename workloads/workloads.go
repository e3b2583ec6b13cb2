// Package workloads holds lockbench's embedded default workloads, one YAML
// file each (the file name is the workload's name), and suites.yaml, the
// named suites that group them. Package lockbench/workload decodes them;
// The format is documented on workload.Spec (go doc lockbench/workload).
package workloads

import "embed"

// FS holds every *.yaml file of this directory.
//
//go:embed *.yaml
var FS embed.FS
