// Package store keeps orders in a SQL database: rows and transactions that
// an early return leaves open.
package store

import (
	"context"
	"database/sql"
	"errors"
)

// Order is one order row.
type Order struct {
	ID     int64
	Amount int64
}

// Orders lists a customer's orders. A Scan error returns with the rows
// still open, holding a connection.
func Orders(ctx context.Context, db *sql.DB, customer string) ([]Order, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, amount FROM orders WHERE customer = $1", customer)
	if err != nil {
		return nil, err
	}
	var out []Order
	for rows.Next() {
		var o Order
		if err := rows.Scan(&o.ID, &o.Amount); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ErrInsufficient is returned when an account cannot pay.
var ErrInsufficient = errors.New("insufficient funds")

// Transfer moves money between accounts. The early return leaves the
// transaction open.
func Transfer(ctx context.Context, db *sql.DB, from, to, amount int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	var balance int64
	if err := tx.QueryRowContext(ctx, "SELECT balance FROM accounts WHERE id = $1", from).Scan(&balance); err != nil {
		return err
	}
	if balance < amount {
		return ErrInsufficient
	}
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance - $1 WHERE id = $2", amount, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", amount, to); err != nil {
		return err
	}
	return tx.Commit()
}
