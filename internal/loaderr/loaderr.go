// Package loaderr turns the errors of golang.org/x/tools/go/packages into
// the messages a go vet user knows: without the driver's "err: exit status
// 1: stderr:" wrapping or the "-:" position of errors that have none, and
// with the cascade of syntax errors cut to the first one of each file.
package loaderr

import (
	"regexp"
	"strings"

	"golang.org/x/tools/go/packages"
)

// maxTypeErrors is how many type errors of one package are kept, as the
// compiler stops after ten.
const maxTypeErrors = 10

var driverWrap = regexp.MustCompile(`(?:err: )?exit status \d+: stderr: `)

// Clean returns the message of a go/packages error without the wrapping
// of its go list driver.
func Clean(msg string) string {
	msg = driverWrap.ReplaceAllString(msg, "")
	msg = strings.TrimPrefix(msg, "-: ")
	return strings.TrimRight(msg, "\n")
}

// Select returns the errors of one package worth showing: every listing
// error; the first syntax error of each file; and, when nothing failed to
// parse (type errors then cascade from the syntax errors), the first type
// errors. Each message is cleaned by Clean.
func Select(errs []packages.Error) []string {
	var list, parse, typ []string
	parsedFile := map[string]bool{}
	for _, e := range errs {
		msg := Clean(e.Error())
		switch e.Kind {
		case packages.ParseError:
			file, _, _ := strings.Cut(e.Pos, ":")
			if parsedFile[file] {
				continue
			}
			parsedFile[file] = true
			parse = append(parse, msg)
		case packages.TypeError:
			typ = append(typ, msg)
		default:
			list = append(list, msg)
		}
	}
	out := append(list, parse...)
	if len(parse) == 0 {
		if len(typ) > maxTypeErrors {
			typ = append(typ[:maxTypeErrors:maxTypeErrors], "too many errors")
		}
		out = append(out, typ...)
	}
	return out
}
