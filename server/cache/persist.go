package cache

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/lifecycle-lsp/lifecycle-lsp/server/driver"
)

// Store keeps results between server sessions: the persistent result cache
// `check` uses (streamdriver.Cache), shared with it. An engine with a store
// takes an unchanged package's export data, facts and diagnostics from it
// instead of type-checking and analysing the package again, so a new
// session publishes the diagnostics of an unchanged file as soon as the
// package graph is loaded, without type-checking anything.
type Store interface {
	Get(key string) ([]byte, bool)
	Put(key string, data []byte)
}

// OpenStore opens a store: the store and a salt that identifies the
// analyzers' code (part of every key), or an error.
type OpenStore func() (Store, string, error)

// UseStore makes the engine keep results in the store open returns. The
// store is opened in the background; the first package that needs it waits
// for it. A store that fails to open is logged and not used.
func (e *Engine) UseStore(open OpenStore, logf func(string, ...any)) {
	once := sync.OnceValues(func() (Store, string) {
		st, salt, err := open()
		if err != nil {
			logf("result cache not used: %v", err)
			return nil, ""
		}
		return st, salt
	})
	e.mu.Lock()
	e.store = once
	e.mu.Unlock()
	go once()
}

// storeOf returns the engine's store and salt (nil when it has none).
func (e *Engine) storeOf() (Store, string) {
	e.mu.Lock()
	f := e.store
	e.mu.Unlock()
	if f == nil {
		return nil, ""
	}
	return f()
}

// persistKey names the results of package m in the store: a digest of
// everything they depend on that is known before type-checking (the
// analyzers' code and configuration, the build settings, the package's
// metadata and file contents, and its dependencies' keys). It is zero when
// the engine has no store or an input is missing.
func (r *run) persistKey(m *Meta, files []*File, deps []dep) Hash {
	st, salt := r.e.storeOf()
	if st == nil {
		return Hash{}
	}
	for _, f := range files {
		if f.Err != nil {
			return Hash{}
		}
	}
	for _, d := range deps {
		if d.ws != nil && d.ws.persistKey == (Hash{}) {
			return Hash{}
		}
	}
	o := r.snap.Opts
	return keyOf("persist", m.ID, salt, func(w hashWriter) {
		w.str(o.AnalyzersKey)
		w.str(strings.Join(o.BuildFlags, "\x00"))
		w.str(strings.Join(o.Env, "\x00"))
		w.str(fmt.Sprint(o.Tests))
		w.str(m.PkgPath)
		w.str(m.Name)
		w.str(m.ForTest)
		w.str(m.GoVersion)
		if m.Module != nil {
			w.str(m.Module.Path + "@" + m.Module.Version + " " + m.Module.GoMod + " " + m.Module.Dir)
		}
		w.str(strings.Join(m.Errors, "\x00"))
		for _, name := range m.Other {
			w.str(name)
			if f := r.snap.File(name); f.Err == nil {
				w.hash(f.Hash)
			}
		}
		r.hashInputs(w, files, deps, func(ws *wsResult) Hash { return ws.persistKey })
	})
}

// stored is a package's entry in the store.
type stored struct {
	Export    []byte
	DeepFP    Hash
	DeepFacts Hash
	Facts     []byte // driver.Facts.Encode
	Result    PackageResult
}

// restore reads the results stored under key.
func (r *run) restore(key Hash) (*typeEntry, *analysisEntry, bool) {
	if key == (Hash{}) {
		return nil, nil, false
	}
	st, _ := r.e.storeOf()
	data, ok := st.Get(hex.EncodeToString(key[:]))
	if !ok {
		return nil, nil, false
	}
	var e stored
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&e); err != nil {
		return nil, nil, false
	}
	facts, err := driver.DecodeFacts(e.Facts, r.factTypes())
	if err != nil {
		return nil, nil, false
	}
	return &typeEntry{export: e.Export, deepFP: e.DeepFP, used: true},
		&analysisEntry{facts: facts, deepFacts: e.DeepFacts, result: e.Result, used: true}, true
}

// persist stores a package's fresh results under key, in the background
// (Run waits for the writes before it returns). Results with failures are
// not stored: a failure may not happen again.
func (r *run) persist(key Hash, te *typeEntry, ae *analysisEntry) {
	if key == (Hash{}) || !r.write || te.export == nil || len(ae.result.Errors) > 0 {
		return
	}
	st, _ := r.e.storeOf()
	r.writes.Add(1)
	go func() {
		defer r.writes.Done()
		facts, err := ae.facts.Encode()
		if err != nil {
			return // a fact gob cannot encode: not stored
		}
		var buf bytes.Buffer
		e := stored{Export: te.export, DeepFP: te.deepFP, DeepFacts: ae.deepFacts, Facts: facts, Result: ae.result}
		if err := gob.NewEncoder(&buf).Encode(&e); err != nil {
			return
		}
		st.Put(hex.EncodeToString(key[:]), buf.Bytes())
	}()
}

// factTypes maps fact type names to the fact types of the run's analyzers.
func (r *run) factTypes() map[string]reflect.Type {
	r.factTypesOnce.Do(func() { r.factTypesByName = driver.FactTypes(r.snap.Opts.Analyzers) })
	return r.factTypesByName
}
