// Package handlers is a small inventory API. It reproduces the incident of
// DESIGN §1.2: clients that should be built once at start-up and shared are
// built on every request instead — a database handle opened per request and
// an HTTP client with a transport (a connection pool) of its own per request.
package handlers

import (
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// dsn is the database the API reads. sql.Open does not connect, so the
// example runs without a database driver being registered.
const dsn = "postgres://inventory@db.internal/inventory?sslmode=disable"

const pricingURL = "http://pricing.internal/api/prices"

// Item is one inventory row.
type Item struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// ItemsHandler lists the items. It opens a new connection pool per request.
func ItemsHandler(w http.ResponseWriter, r *http.Request) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer db.Close()

	rows, err := db.QueryContext(r.Context(), "SELECT id, name FROM items")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer rows.Close()
	var items []Item
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.ID, &it.Name); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		items = append(items, it)
	}
	json.NewEncoder(w).Encode(items)
}

// PricesHandler proxies the pricing service. Each request builds a client
// with its own Transport, so no connection is ever reused.
func PricesHandler(w http.ResponseWriter, r *http.Request) {
	client := &http.Client{
		Transport: &http.Transport{
			MaxIdleConnsPerHost: 8,
			IdleConnTimeout:     90 * time.Second,
		},
		Timeout: 10 * time.Second,
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, pricingURL, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	io.Copy(w, resp.Body)
}
