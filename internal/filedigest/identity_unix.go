//go:build linux || openbsd || dragonfly || darwin || freebsd || netbsd

package filedigest

import (
	"os"
	"syscall"
)

// identify returns a file's identity, zero when it cannot be had.
func identify(name string) identity {
	info, err := os.Stat(name)
	if err != nil {
		return identity{}
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok || !info.Mode().IsRegular() {
		return identity{}
	}
	return identity{
		Dev:   uint64(st.Dev),
		Ino:   uint64(st.Ino),
		Size:  st.Size,
		Mtime: info.ModTime().UnixNano(),
		Ctime: ctime(st),
	}
}
