package redisstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// errBodyGone is the error of a read whose body is no longer in Redis:
// evicted under maxmemory, or kept past the grace after a replacement.
var errBodyGone = fmt.Errorf("redisstore: the body of the entry is gone from Redis: %w", io.ErrUnexpectedEOF)

// writer sends an entry's body to Redis in chunks as it arrives. A body
// that fits in one chunk is sent at Commit, inline in the entry's hash.
type writer struct {
	s    *store
	ctx  context.Context
	key  string
	meta []byte
	ttl  time.Duration
	id   string // of the body's hash
	buf  []byte // the chunk being filled
	sent int    // chunks in the body's hash
	size int64
	err  error
	done bool
}

func (w *writer) Write(p []byte) (int, error) {
	if w.done {
		return 0, errors.New("redisstore: write after Commit or Abort")
	}
	if w.err != nil {
		return 0, w.err
	}
	n := len(p)
	for len(p) > 0 {
		if len(w.buf) == chunkSize { // full, and more is coming: send it
			if w.err = w.flush(); w.err != nil {
				return n - len(p), w.err
			}
		}
		if w.buf == nil {
			w.buf = make([]byte, 0, min(chunkSize, max(len(p), 4<<10)))
		}
		take := min(chunkSize-len(w.buf), len(p))
		w.buf = append(w.buf, p[:take]...)
		p = p[take:]
		w.size += int64(take)
	}
	return n, nil
}

// flush sends the chunk in buf and renews the TTL of the unfinished body.
func (w *writer) flush() error {
	bk := w.s.bodyKey(w.key, w.id)
	_, err := w.s.rdb.Pipelined(w.ctx, func(p redis.Pipeliner) error {
		p.HSet(w.ctx, bk, strconv.Itoa(w.sent), w.buf)
		p.PExpire(w.ctx, bk, pendingTTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: writing a chunk: %w", err)
	}
	w.sent++
	w.buf = w.buf[:0]
	return nil
}

// commit makes an entry, replacing the one under its key, in one step: the
// metadata, the body's length, the body inline (ARGV[5]) or the name of its
// hash (ARGV[4], then checked to hold every chunk), and the TTLs, the
// body's longer by the grace. It returns the name of the body it replaced.
// KEYS: entry, body (the entry again when inline). ARGV: meta, length,
// chunks, body name, inline body, TTL in ms, grace in ms.
var commit = redis.NewScript(`
if ARGV[4] ~= '' and redis.call('HLEN', KEYS[2]) ~= tonumber(ARGV[3]) then
	return redis.error_reply('the body is incomplete: its chunks expired while it was written')
end
local old = redis.call('HGET', KEYS[1], 'b')
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'm', ARGV[1], 'l', ARGV[2], 'n', ARGV[3], 'b', ARGV[4], 'd', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
if ARGV[4] ~= '' then redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[6]) + tonumber(ARGV[7])) end
return old or ''`)

func (w *writer) Commit() error {
	if w.done {
		return errors.New("redisstore: Commit after Commit or Abort")
	}
	w.done = true
	err := w.err
	if err == nil && w.sent > 0 && len(w.buf) > 0 {
		err = w.flush()
	}
	if err != nil {
		w.drop()
		return err
	}
	ek, bk, id, inline := w.s.entryKey(w.key), w.s.bodyKey(w.key, w.id), w.id, w.buf
	if w.sent == 0 {
		bk, id = ek, ""
	} else {
		inline = nil
	}
	old, err := commit.Run(w.ctx, w.s.rdb, []string{ek, bk},
		w.meta, w.size, w.sent, id, inline, ms(w.ttl), ms(readerGrace)).Text()
	w.buf = nil
	if err != nil {
		w.drop()
		return fmt.Errorf("redisstore: committing an entry: %w", err)
	}
	if old != id {
		w.s.expireBody(w.ctx, w.key, old)
	}
	return nil
}

func (w *writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	w.buf = nil
	w.drop()
}

// drop deletes the chunks sent, even when the writer's context is done.
func (w *writer) drop() {
	if w.sent == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(w.ctx), 5*time.Second)
	defer cancel()
	w.s.rdb.Del(ctx, w.s.bodyKey(w.key, w.id)) // failing that, pendingTTL removes them
}

// reader streams a body: inline (buf, no key) or chunk by chunk from the
// body's hash, one HGET per chunk when the last is used up.
type reader struct {
	ctx       context.Context
	rdb       redis.UniversalClient
	key       string // of the body's hash
	chunks    int
	next      int
	buf       []byte
	remaining int64 // bytes of the body not yet returned
	err       error
}

// fetch reads the next chunk into buf.
func (r *reader) fetch() error {
	b, err := r.rdb.HGet(r.ctx, r.key, strconv.Itoa(r.next)).Bytes()
	if errors.Is(err, redis.Nil) {
		return errBodyGone
	}
	if err != nil {
		return fmt.Errorf("redisstore: reading a chunk: %w", err)
	}
	r.next++
	r.buf = b
	return nil
}

func (r *reader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 && r.err == nil {
		switch {
		case r.next < r.chunks:
			r.err = r.fetch()
		case r.remaining != 0:
			r.err = fmt.Errorf("redisstore: the body is %d bytes short: %w", r.remaining, io.ErrUnexpectedEOF)
		default:
			r.err = io.EOF
		}
	}
	if len(r.buf) == 0 {
		return 0, r.err
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	r.remaining -= int64(n)
	if r.remaining < 0 {
		r.err = errors.New("redisstore: the body is longer than its entry says")
		return 0, r.err
	}
	return n, nil
}

func (r *reader) Close() error {
	r.buf, r.err = nil, errors.New("redisstore: read after Close")
	return nil
}
