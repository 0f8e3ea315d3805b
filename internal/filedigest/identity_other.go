//go:build !(linux || openbsd || dragonfly || darwin || freebsd || netbsd)

package filedigest

// identify returns zero: without a change time that programs cannot set,
// nothing is remembered and every file is read.
func identify(string) identity { return identity{} }
