package cache

import (
	"sync"
)

// maxMemo bounds how many decoded records a memo keeps.
const maxMemo = 1024

// memo remembers what stored bytes decoded to, for stores that return the
// same bytes for the same record each time (Memory does): a hit then
// decodes nothing. Decoded values are shared and must not be modified.
type memo[T any] struct {
	mu sync.Mutex
	m  map[string]memoItem[T]
}

type memoItem[T any] struct {
	raw []byte
	v   T
}

// get returns what raw, read under key, decodes to, calling decode only
// when raw is not the very slice decoded last time.
func (m *memo[T]) get(key string, raw []byte, decode func([]byte) (T, error)) (T, error) {
	if len(raw) == 0 {
		return decode(raw)
	}
	m.mu.Lock()
	it, ok := m.m[key]
	m.mu.Unlock()
	if ok && len(it.raw) == len(raw) && &it.raw[0] == &raw[0] {
		return it.v, nil
	}
	v, err := decode(raw)
	if err != nil {
		return v, err
	}
	m.mu.Lock()
	if m.m == nil || len(m.m) >= maxMemo {
		m.m = make(map[string]memoItem[T])
	}
	m.m[key] = memoItem[T]{raw, v}
	m.mu.Unlock()
	return v, nil
}
