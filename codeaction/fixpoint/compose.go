package fixpoint

import "sort"

// compose returns the edits of an original text that produce final, given
// first (sorted, non-overlapping edits of the original giving a middle
// text) and second (sorted, non-overlapping edits of the middle text giving
// final). Edits of the two rounds that overlap or touch in the middle text
// merge into one edit; the others keep their own extent, so a client
// applying the result moves no more text than the fixes did.
func compose(first, second []Edit, final []byte) []Edit {
	type span struct {
		start, end int // in the middle text
		first      int // index in first, or -1
	}
	var spans []span
	shift := 0
	for i, e := range first {
		start := e.Start + shift
		spans = append(spans, span{start, start + len(e.New), i})
		shift += len(e.New) - (e.End - e.Start)
	}
	for _, e := range second {
		spans = append(spans, span{e.Start, e.End, -1})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })

	// origin maps a middle-text offset outside every inserted text to the
	// original text: back over the first edits that end at or before it.
	origin := func(t int) int {
		mid, shift := 0, 0
		for _, e := range first {
			mid = e.Start + shift + len(e.New)
			if mid > t {
				break
			}
			shift += len(e.New) - (e.End - e.Start)
		}
		return t - shift
	}
	// forward maps a middle-text offset to the final text, past the second
	// edits selected.
	forward := func(t int, past func(Edit) bool) int {
		for _, e := range second {
			if past(e) {
				t += len(e.New) - (e.End - e.Start)
			}
		}
		return t
	}
	file := ""
	if len(first) > 0 {
		file = first[0].File
	} else if len(second) > 0 {
		file = second[0].File
	}

	var out []Edit
	for i := 0; i < len(spans); {
		gs, ge := spans[i].start, spans[i].end
		members := []span{spans[i]}
		j := i + 1
		for j < len(spans) && spans[j].start <= ge {
			ge = max(ge, spans[j].end)
			members = append(members, spans[j])
			j++
		}
		i = j
		from, to := -1, -1
		for _, m := range members {
			if m.first < 0 {
				continue
			}
			e := first[m.first]
			if m.start == gs && (from < 0 || e.Start < from) {
				from = e.Start
			}
			if m.end == ge && e.End > to {
				to = e.End
			}
		}
		if from < 0 {
			from = origin(gs)
		}
		if to < 0 {
			to = origin(ge)
		}
		// The group starts after every second edit of earlier groups
		// and ends after every second edit of its own.
		fs := forward(gs, func(e Edit) bool { return e.End < gs })
		fe := forward(ge, func(e Edit) bool { return e.Start <= ge })
		out = append(out, Edit{File: file, Start: from, End: to, New: string(final[fs:fe])})
	}
	return out
}
