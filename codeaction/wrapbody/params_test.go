package wrapbody

import (
	"strings"
	"testing"
)

func TestAppendParamGroupsSameType(t *testing.T) {
	var params, types []string
	for _, p := range [][2]string{
		{"name", "string"}, {"key", "string"}, {"verbose", "bool"},
		{"f", "func(int) string"}, {"s", "string"}, {"n", "int"}, {"m", "int"},
	} {
		params, types = appendParam(params, types, p[0], p[1])
	}
	got := strings.Join(params, ", ")
	want := "name, key string, verbose bool, f func(int) string, s string, n, m int"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
