// Package sqlx mimics jmoiron/sqlx's shapes (sqlclosecheck #35).
package sqlx

import "database/sql"

type DB struct{ *sql.DB }

type Rows struct{ *sql.Rows }

func (db *DB) Queryx(q string) (*Rows, error) {
	r, err := db.DB.Query(q)
	if err != nil {
		return nil, err
	}
	return &Rows{Rows: r}, nil
}
