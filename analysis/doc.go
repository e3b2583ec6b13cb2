// Package analysis is the statistics of lockbench: it turns a results file
// (lockbench/results/v1) into comparisons a reviewer can defend.
//
// The pipeline has four parts, each a function over a *results.File:
//
//   - Cells groups the successful runs by (workload, concurrency, strategy);
//     the repetitions of one cell are the sample every statistic is drawn from.
//   - CompareToBaseline and CompareFiles summarise each side of a comparison
//     by its median with a 95% confidence interval and test the difference
//     with a Mann–Whitney U test, exactly as benchstat does
//     (golang.org/x/perf/benchmath.AssumeNothing). A difference is only called
//     significant when p < Alpha; with three repetitions per side the U test can
//     never get there, and the comparison says "not enough samples" instead of
//     pretending there is no change.
//   - FitUSL fits Gunther's Universal Scalability Law to throughput against
//     concurrency, separating contention (σ) from coherency (κ).
//   - Warnings lists the caveats a figure should carry (too few samples, a
//     Little's law ratio that shows the harness mismeasures, a store slower than
//     configured, a wide spread across repetitions, failed runs …).
//   - Bottlenecks applies the operational laws (utilization law, bottleneck
//     law, the closed-loop population bound) to one run: every lock, the
//     hottest stripe of each striped family, the store, the CPUs and the
//     clients (or the offered rate) as resources with a demand per
//     operation, the bottleneck with the lowest bound, and what the bound
//     would be with each lock released during store I/O. How each demand
//     and R₀ are taken is documented at the top of bottleneck.go.
//     CheckBounds tests the bounds against measured throughput over a file.
//
// Nothing here formats text: the report package and the compare command do.
// Time metrics are in seconds (unit "s" or "s/op") so one SI formatter serves
// every metric.
package analysis
