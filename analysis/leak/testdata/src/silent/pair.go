package silent

import (
	"debug/elf"
	"fmt"
	"io"
	"os"
)

// exportData returns a reader of the file's export data and the closer
// that releases the file: the caller closes through closer.
func exportData(path string) (reader io.ReadSeeker, closer io.Closer, err error) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	closer = f
	defer func() {
		if err != nil && closer != nil {
			f.Close()
		}
	}()

	var magic [4]byte
	if _, err = f.ReadAt(magic[:], 0); err != nil {
		return
	}
	if string(magic[:]) == "v1\n\n" {
		reader = f
		return
	}
	ef, err := elf.NewFile(f)
	if err != nil {
		return
	}
	sec := ef.Section(".go_export")
	if sec == nil {
		err = fmt.Errorf("%s: no export data", path)
		return
	}
	reader = sec.Open()
	return
}

func readExportData(path string) error {
	r, closer, err := exportData(path)
	if err != nil {
		return err
	}
	if closer != nil {
		defer closer.Close()
	}
	_, err = io.ReadAll(r)
	return err
}
