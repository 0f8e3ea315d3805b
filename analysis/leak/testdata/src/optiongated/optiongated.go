// Package optiongated: a constructor whose goroutine only an option starts
// holds nothing when called without options.
package optiongated

import "optiongated/matcher"

func load(patterns []string) int {
	m := matcher.New(patterns)
	return len(patterns) + cap(patternsOf(m))
}

func patternsOf(*matcher.Matcher) []string { return nil }

// The true bugs of the same shape are still reported.

func loadCached(patterns []string) int {
	m := matcher.New(patterns, matcher.WithCache(true)) // want `never stopped|never closed|not stopped`
	return len(patternsOf(m))
}

func loadDefaultCached(patterns []string) int {
	m := matcher.NewCached(patterns) // want `never stopped|never closed|not stopped`
	return len(patternsOf(m))
}

func loadAlways(patterns []string) int {
	m := matcher.NewAlways(patterns) // want `never stopped|never closed|not stopped`
	return len(patternsOf(m))
}
