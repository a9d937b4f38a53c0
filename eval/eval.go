// Package eval scores newsdedup against labelled data: clustering metrics
// (pairwise, B-cubed, adjusted Rand index) and readers for the evaluation
// sets in ../shared/eval.
package eval
