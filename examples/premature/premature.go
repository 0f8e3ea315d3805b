// Package premature reproduces releases deferred before the acquisition's
// error is checked: when the call fails the deferred release runs on a nil
// value and turns a handled error into a panic.
package premature

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

// Status is a service's health report.
type Status struct {
	Healthy bool   `json:"healthy"`
	Version string `json:"version"`
}

// FetchStatus asks a service for its status. When the service is down,
// http.Get fails, resp is nil, and the deferred Close panics.
func FetchStatus(url string) (*Status, error) {
	resp, err := http.Get(url)
	defer resp.Body.Close() // seeded: deferbeforecheck
	if err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	var s Status
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Usernames lists the users table.
func Usernames(db *sql.DB) ([]string, error) {
	rows, err := db.Query("SELECT name FROM users")
	defer rows.Close() // seeded: deferbeforecheck
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

// LoadConfig reads a JSON file.
func LoadConfig(path string, v any) error {
	f, err := os.Open(path)
	defer f.Close() // seeded: deferbeforecheck (harmless for *os.File, still misplaced)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}
