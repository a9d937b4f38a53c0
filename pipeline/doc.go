// Package pipeline joins the stages of newsdedup: it fingerprints articles,
// finds candidate copies, verifies and relates them, groups them into copy
// families and stories, and picks each family's original.
//
// Two callers drive it. Run (batch.go) relates a whole input at once, on
// all cores; an Engine (engine.go) places a stream of articles against a
// store. Both find and verify copies the same way, in one place
// (copies.go): each article against the articles before it.
//
// The files, one idea each:
//
//	config.go         Config and DefaultConfig
//	batch.go          Run and Copies: a whole input, in parallel
//	copies.go         copy detection: candidates (bands, anchors, URL), verify, evidence
//	fingerprints.go   fingerprints on all workers
//	templates.go      per-source template paragraphs and boilerplate bodies
//	stories_batch.go  story placement of a batch, in order of publication
//	engine.go         Engine: placement of a stream against a store
//	parallel.go       the worker loop the parallel stages share
package pipeline
