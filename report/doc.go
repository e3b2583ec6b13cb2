// Package report renders a lockbench results file (lockbench/results/v1)
// into what a reviewer reads: report.md, a self-contained report.html, every
// plot as PNG and SVG, and bench.txt in the Go benchmark format.
//
// The pipeline has three stages, each a plain value handed to the next:
//
//   - NewModel turns a *results.File into a Model: the figures per cell, the
//     comparisons against the baseline, the Universal Scalability Law fits and
//     the warnings, all from package analysis. Nothing is formatted yet.
//   - The Model becomes a document — headings, sentences, tables, images —
//     built once, so report.md and report.html say the same thing
//     (WriteMarkdown, WriteHTML). Every sentence is generated from a figure of
//     the Model: a result the data does not show is never stated.
//   - Figures (Figures, RenderFigure) draw the plots with gonum.org/v1/plot,
//     one colour and marker per strategy across every plot.
//
// Render runs all three and writes every file atomically. WriteBenchFormat is
// independent of the Model: one benchmark line per successful run, so that
// `benchstat -col /strategy bench.txt` compares the strategies.
package report
