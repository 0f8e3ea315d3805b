// Package export writes reports to disk. It reproduces a lost write-back:
// the report file is closed with a plain `defer f.Close()`, so a failed
// flush (a full disk, an NFS server gone away) is reported as success.
package export

import (
	"encoding/csv"
	"os"
	"strconv"
)

// Row is one line of the report.
type Row struct {
	Account string
	Cents   int64
}

// WriteReport writes rows as CSV to path.
func WriteReport(path string, rows []Row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()

	w := csv.NewWriter(f)
	if err := w.Write([]string{"account", "cents"}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.Write([]string{r.Account, strconv.FormatInt(r.Cents, 10)}); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// AppendAudit appends one line to the audit log.
func AppendAudit(path, line string) (int, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := f.WriteString(line + "\n")
	if err != nil {
		f.Close()
		return 0, err
	}
	f.Close()
	return n, nil
}
