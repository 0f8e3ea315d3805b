package perrequestfix

import (
	"database/sql"
	"fmt"
	"net/http"
	"time"
)

const dsn = "postgres://localhost/app"

func handle(w http.ResponseWriter, r *http.Request) {
	db, err := sql.Open("postgres", dsn) // want `database handle \(sql.Open\) built in an HTTP handler`
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer db.Close()
	fmt.Fprintln(w, db.Stats().OpenConnections)
}

func proxy(w http.ResponseWriter, r *http.Request) {
	client := &http.Client{ // want `HTTP client with its own Transport built in an HTTP handler`
		Transport: &http.Transport{
			MaxIdleConns:    10,
			IdleConnTimeout: 30 * time.Second,
		},
		Timeout: 5 * time.Second,
	}
	resp, err := client.Get("http://backend/")
	if err != nil {
		return
	}
	resp.Body.Close()
}

func crawl(urls []string) {
	for _, u := range urls {
		tr := &http.Transport{DisableKeepAlives: true} // want `HTTP transport \(http.Transport literal\) built in a loop`
		c := &http.Client{Transport: tr}
		c.Get(u)
		tr.CloseIdleConnections()
	}
}

// A second handler opening the same database: the name does not collide.
func other(w http.ResponseWriter, r *http.Request) {
	db, _ := sql.Open("postgres", dsn) // want `database handle \(sql.Open\) built in an HTTP handler`
	db.Ping()
}
