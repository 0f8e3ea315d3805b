// Package sdk is a small API client of the kind the lifecycle-lsp incidents
// came from: sessions, responses and contexts that are easy to leave open.
package sdk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"
)

// Client talks to an inventory service.
type Client struct {
	BaseURL string
	HTTP    *http.Client
}

// Item is one inventory record.
type Item struct {
	ID    string `json:"id"`
	Count int    `json:"count"`
}

// GetItem fetches one item. Incident 1: the response body is left open on
// the path that rejects a non-200 status.
func (c *Client) GetItem(ctx context.Context, id string) (*Item, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/items/"+id, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("get item %s: %s", id, resp.Status)
	}
	defer resp.Body.Close()
	var it Item
	if err := json.NewDecoder(resp.Body).Decode(&it); err != nil {
		return nil, err
	}
	return &it, nil
}

// Ping checks that the service answers. The body is never closed.
func (c *Client) Ping() (bool, error) {
	resp, err := http.Get(c.BaseURL + "/healthz")
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

// Refresh asks the service to rebuild its cache, with a deadline whose
// cancel function is thrown away.
func (c *Client) Refresh(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, 5*time.Second)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/refresh", nil)
	if err != nil {
		return err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

// LoadCredentials reads the credentials file. The file stays open.
func LoadCredentials(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	creds := map[string]string{}
	if err := json.NewDecoder(f).Decode(&creds); err != nil {
		return nil, err
	}
	return creds, nil
}

// Items fetches every item; correct code, for contrast: nothing is reported.
func (c *Client) Items(ctx context.Context) ([]Item, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/items", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var items []Item
	return items, json.NewDecoder(resp.Body).Decode(&items)
}
