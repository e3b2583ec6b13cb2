// Package verdict judges two lockbench results files the way a team takes
// the decision "did our change break or slow anything": it is the model of
// `bench compare`, kept apart from the command as benchstat keeps benchtab
// apart from its main.
//
// For every compared cell (workload, concurrency, strategy — or a strategy
// of the first file paired with another of the second by a Map) it gives,
// in this order:
//
//   - Correctness: both sides' consistency anomalies by kind and
//     linearizability verdicts. A kind absent or zero in old and non-zero in
//     new, or a verdict that turns illegal, is a correctness regression,
//     whatever the speed. A cell whose new runs were not checked says so.
//   - Speed, per metric: each side's median with a 95% confidence interval
//     and a Mann–Whitney U test (analysis.CompareSamples, as benchstat), with
//     the p-values adjusted for the number of tests the comparison makes
//     (Benjamini–Hochberg, see Adjust). A significant change for the worse
//     beyond the threshold is a regression; a change for the worse beyond the
//     threshold that the sample sizes could never show to be significant is
//     inconclusive, with the repetitions per side it would take.
//
// Gate combines them: a run of `bench compare --fail-on-regression` fails on
// any correctness regression, any regression, and — unless allowed — any
// inconclusive cell, because a gate that cannot fail is not a gate.
//
// Nothing here prints on its own; WriteText, WriteMarkdown and JSON render
// a Comparison for the command.
package verdict
