package silent

import (
	"database/sql"
	"net/http"
	"sync"
)

// getSharedDB hands out one pool built on first use: callers borrow it.
var getSharedDB = sync.OnceValues(func() (*sql.DB, error) {
	return sql.Open("postgres", "dsn")
})

var sharedClient = sync.OnceValue(func() *http.Client {
	return &http.Client{Transport: &http.Transport{}}
})

func sharedPool() error {
	db, err := getSharedDB()
	if err != nil {
		return err
	}
	return db.Ping()
}

func sharedLocalPool() error {
	get := sync.OnceValues(func() (*sql.DB, error) { return sql.Open("postgres", "dsn") })
	db, err := get()
	if err != nil {
		return err
	}
	return db.Ping()
}

func sharedHTTPClient() {
	c := sharedClient()
	_ = c
}
