package server

import (
	"strings"
	"testing"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// position returns the LSP position (UTF-16 columns) of the rune offset
// r in text, computed independently of the server's mapper.
func position(text []rune, r int) protocol.Position {
	var line, col uint32
	for _, c := range text[:r] {
		switch {
		case c == '\n':
			line, col = line+1, 0
		case c >= 0x10000:
			col += 2
		default:
			col++
		}
	}
	return protocol.Position{Line: line, Character: col}
}

// FuzzIncrementalSync applies random edits one at a time through the
// incremental text sync and checks that the buffer equals the client's
// text after each one, as a full-text replacement would make it.
func FuzzIncrementalSync(f *testing.F) {
	f.Add("package a\n\nfunc f() {}\n", []byte{3, 9, 1, 'x', 0, 200, 7})
	f.Add("héllo 𝄞 wörld\r\nsecond 😀 line\n", []byte{5, 2, 3, 'y', 17, 1, 0})
	f.Add("", []byte{0, 0, 5, 'a'})
	f.Add("a\n\n\nb", []byte{1, 3, 2, '\n', 4, 0, 9})
	f.Fuzz(func(t *testing.T, initial string, ops []byte) {
		if len(initial) > 1<<12 || len(ops) > 3*64 {
			return // bigger inputs only make each execution slower
		}
		if !utf8.ValidString(initial) || strings.ContainsRune(initial, '\r') {
			// Clients send valid UTF-8; a lone CR ends a line for some
			// clients and not for others, so it is left out.
			return
		}
		client := []rune(initial)
		buf := []byte(initial)
		inserts := []string{"x", "\n", "é", "𝄞", "}\n\t", ""}
		for len(ops) >= 3 {
			a, b := int(ops[0]), int(ops[1])
			text := inserts[int(ops[2])%len(inserts)]
			ops = ops[3:]
			if len(client) > 0 {
				a, b = a%(len(client)+1), b%(len(client)+1)
			} else {
				a, b = 0, 0
			}
			if a > b {
				a, b = b, a
			}
			r := protocol.Range{Start: position(client, a), End: position(client, b)}
			next, _, err := applyChange(buf, r, text)
			if err != nil {
				t.Fatalf("valid change %v rejected: %v", r, err)
			}
			client = append(append(append([]rune{}, client[:a]...), []rune(text)...), client[b:]...)
			if string(next) != string(client) {
				t.Fatalf("after replacing %v with %q:\nbuffer %q\nclient %q", r, text, next, string(client))
			}
			buf = next
		}
	})
}

// TestChangePastTheEndIsRejected: a range beyond the last line is an
// error, not a silent clamp.
func TestChangePastTheEndIsRejected(t *testing.T) {
	_, _, err := applyChange([]byte("a\nb\n"), protocol.Range{Start: protocol.Position{Line: 9}, End: protocol.Position{Line: 9}}, "x")
	if err == nil {
		t.Fatal("a change on line 10 of a 2-line buffer was applied")
	}
}

func TestCarry(t *testing.T) {
	// "aaXXbb" → "aaYYYbb": the bytes [2, 4) became 3 bytes.
	spans := []editSpan{{start: 2, end: 4, n: 3}}
	cases := []struct {
		in   offsetRange
		want offsetRange
		ok   bool
	}{
		{offsetRange{0, 2}, offsetRange{0, 2}, true}, // ends where the edit starts: stays
		{offsetRange{4, 6}, offsetRange{5, 7}, true}, // starts where it ends: moves
		{offsetRange{1, 3}, offsetRange{}, false},    // overlaps its start
		{offsetRange{3, 5}, offsetRange{}, false},    // overlaps its end
		{offsetRange{2, 4}, offsetRange{}, false},    // is the edited text
		{offsetRange{0, 6}, offsetRange{}, false},    // contains it
		{offsetRange{2, 2}, offsetRange{2, 2}, true}, // empty, at its start
		{offsetRange{4, 4}, offsetRange{5, 5}, true}, // empty, at its end
		{offsetRange{3, 3}, offsetRange{}, false},    // empty, inside
	}
	for _, c := range cases {
		got, ok := carry(c.in, spans)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("carry(%v) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	// An insertion strictly inside a range drops it; edits apply in order.
	if _, ok := carry(offsetRange{1, 5}, []editSpan{{start: 3, end: 3, n: 1}}); ok {
		t.Error("an insertion inside a range kept it")
	}
	if got, ok := carry(offsetRange{10, 12}, []editSpan{{start: 0, end: 2, n: 0}, {start: 0, end: 0, n: 5}}); !ok || got != (offsetRange{13, 15}) {
		t.Errorf("two edits: %v, %v", got, ok)
	}
}

func TestDiffSpan(t *testing.T) {
	cases := []struct {
		before, after string
		want          editSpan
	}{
		{"abc", "abc", editSpan{3, 3, 0}},
		{"abc", "abXc", editSpan{2, 2, 1}},
		{"abXc", "abc", editSpan{2, 3, 0}},
		{"abc", "xyz", editSpan{0, 3, 3}},
		{"aa", "aaa", editSpan{2, 2, 1}},
	}
	for _, c := range cases {
		if got := diffSpan([]byte(c.before), []byte(c.after)); got != c.want {
			t.Errorf("diffSpan(%q, %q) = %v, want %v", c.before, c.after, got, c.want)
		}
	}
}
