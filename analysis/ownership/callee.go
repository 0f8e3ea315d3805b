package ownership

import "golang.org/x/tools/go/ssa"

// CalleeSummary returns the summary of a function that the package calls:
// computed for a function of the package, imported as a fact for one of
// another package. It returns nil when no summary is known (the standard
// library, which the resource table describes instead).
func (m *Model) CalleeSummary(fn *ssa.Function) *Summary {
	m.ready()
	s, _ := m.calleeSummary(fn)
	return s
}
