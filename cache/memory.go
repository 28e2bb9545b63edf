package cache

import (
	"bytes"
	"container/list"
	"context"
	"errors"
	"io"
	"sync"
	"time"
)

// errTooLarge is what Commit reports for an entry larger than the whole
// store: it is not stored.
var errTooLarge = errors.New("cache: entry larger than the store")

// Memory returns a Store that keeps entries in memory, at most maxBytes of
// them (metadata, bodies and keys counted), the least recently used
// evicted first. An entry being written counts once it is committed; one
// larger than maxBytes is not stored. maxBytes <= 0 means 64 MiB.
func Memory(maxBytes int64) Store {
	if maxBytes <= 0 {
		maxBytes = 64 << 20
	}
	return &memory{max: maxBytes, items: make(map[string]*list.Element), lru: list.New(), now: time.Now}
}

type memory struct {
	mu    sync.Mutex
	max   int64
	size  int64
	items map[string]*list.Element // of *memItem
	lru   *list.List               // front: most recently used
	now   func() time.Time
}

// memItem is an entry (body not nil) or a value.
type memItem struct {
	key     string
	meta    []byte // the value, for a value
	body    []byte // never modified once stored
	isEntry bool
	expires time.Time
}

func (it *memItem) size() int64 { return int64(len(it.key) + len(it.meta) + len(it.body) + 64) }

// get returns the live item under key, moved to the front, or nil. Callers
// hold m.mu.
func (m *memory) get(key string) *memItem {
	el, ok := m.items[key]
	if !ok {
		return nil
	}
	it := el.Value.(*memItem)
	if !m.now().Before(it.expires) {
		m.remove(el)
		return nil
	}
	m.lru.MoveToFront(el)
	return it
}

func (m *memory) remove(el *list.Element) {
	it := m.lru.Remove(el).(*memItem)
	delete(m.items, it.key)
	m.size -= it.size()
}

// put stores it, replacing what key held, and evicts until the store fits.
// Callers hold m.mu.
func (m *memory) put(it *memItem) error {
	if it.size() > m.max {
		if el, ok := m.items[it.key]; ok {
			m.remove(el) // the old one is outdated all the same
		}
		return errTooLarge
	}
	if el, ok := m.items[it.key]; ok {
		m.remove(el)
	}
	m.items[it.key] = m.lru.PushFront(it)
	m.size += it.size()
	for m.size > m.max {
		m.remove(m.lru.Back())
	}
	return nil
}

func (m *memory) Open(_ context.Context, key string) ([]byte, io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it := m.get(key)
	if it == nil || !it.isEntry {
		return nil, nil, ErrNotFound
	}
	return it.meta, io.NopCloser(bytes.NewReader(it.body)), nil
}

func (m *memory) Create(_ context.Context, key string, meta []byte, ttl time.Duration) (EntryWriter, error) {
	return &memWriter{m: m, it: &memItem{key: key, meta: meta, isEntry: true}, ttl: ttl}, nil
}

func (m *memory) SetMeta(_ context.Context, key string, meta []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	it := m.get(key)
	if it == nil || !it.isEntry {
		return ErrNotFound
	}
	return m.put(&memItem{key: key, meta: meta, body: it.body, isEntry: true, expires: m.now().Add(ttl)})
}

func (m *memory) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.items[key]; ok {
		m.remove(el)
	}
	return nil
}

func (m *memory) Load(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it := m.get(key)
	if it == nil || it.isEntry {
		return nil, ErrNotFound
	}
	return it.meta, nil // never modified once stored
}

func (m *memory) Update(_ context.Context, key string, ttl time.Duration, fn func([]byte) []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var old []byte
	if it := m.get(key); it != nil && !it.isEntry {
		old = bytes.Clone(it.meta)
	}
	v := fn(old)
	if v == nil {
		if el, ok := m.items[key]; ok {
			m.remove(el)
		}
		return nil
	}
	return m.put(&memItem{key: key, meta: bytes.Clone(v), expires: m.now().Add(ttl)})
}

// memWriter buffers an entry's body until Commit.
type memWriter struct {
	m    *memory
	it   *memItem
	ttl  time.Duration
	buf  bytes.Buffer
	over bool // larger than the store: dropped at Commit
	done bool
}

func (w *memWriter) Write(p []byte) (int, error) {
	if w.done {
		return 0, errors.New("cache: write after Commit or Abort")
	}
	if !w.over {
		if int64(w.buf.Len()+len(p)) > w.m.max {
			w.over = true
			w.buf = bytes.Buffer{}
		} else {
			w.buf.Write(p)
		}
	}
	return len(p), nil
}

func (w *memWriter) Commit() error {
	if w.done {
		return errors.New("cache: Commit after Commit or Abort")
	}
	w.done = true
	if w.over {
		return errTooLarge
	}
	w.it.body = w.buf.Bytes()
	if w.it.body == nil {
		w.it.body = []byte{}
	}
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	w.it.expires = w.m.now().Add(w.ttl)
	return w.m.put(w.it)
}

func (w *memWriter) Abort() {
	w.done = true
	w.buf = bytes.Buffer{}
}
