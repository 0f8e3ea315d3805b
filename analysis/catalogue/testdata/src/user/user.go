package user

import "example.com/pool"

func leaks(p pool.Pool) error {
	c, err := p.Get() // want `resource c from Get is never closed; add defer c.Release\(\)`
	if err != nil {
		return err
	}
	_ = c
	return nil
}

func releases(p pool.Pool) error {
	c, err := p.Get()
	if err != nil {
		return err
	}
	defer c.Release()
	return nil
}
