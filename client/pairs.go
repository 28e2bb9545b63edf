package client

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// pair is one Header or Param option: a name (a key) and a value.
type pair struct{ key, value string }

// configs recycles the requestConfig of finished calls. Options are applied
// through an interface, so a config always escapes to the heap; reusing
// one saves that allocation and keeps the option lists' backing arrays.
var configs = sync.Pool{New: func() any { return new(requestConfig) }}

func getConfig() *requestConfig { return configs.Get().(*requestConfig) }

// putConfig clears c, keeping the capacity of its option lists, and
// returns it to the pool. Nothing may use c afterwards.
func putConfig(c *requestConfig) {
	headers, params := c.headers, c.params
	clear(headers)
	clear(params)
	*c = requestConfig{headers: headers[:0], params: params[:0]}
	configs.Put(c)
}

// writeHeaders sets req's headers from the Header options: each name gets
// all of its options' values, in order, replacing what req had. The values
// of all names share one backing array.
func (c *requestConfig) writeHeaders(req *http.Request) {
	if len(c.headers) == 0 {
		return
	}
	for i := range c.headers {
		c.headers[i].key = http.CanonicalHeaderKey(c.headers[i].key)
	}
	// A stable sort keeps each name's values in option order.
	slices.SortStableFunc(c.headers, func(a, b pair) int { return strings.Compare(a.key, b.key) })
	values := make([]string, len(c.headers))
	for start := 0; start < len(c.headers); {
		end := start + 1
		for end < len(c.headers) && c.headers[end].key == c.headers[start].key {
			end++
		}
		for i := start; i < end; i++ {
			values[i] = c.headers[i].value
		}
		req.Header[c.headers[start].key] = values[start:end:end] // an append copies
		start = end
	}
}

// encodeParams returns the Param options as url.Values.Encode writes them:
// sorted by key, each key's values in option order.
func (c *requestConfig) encodeParams() string {
	slices.SortStableFunc(c.params, func(a, b pair) int { return strings.Compare(a.key, b.key) })
	var b strings.Builder
	for _, p := range c.params {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.value))
	}
	return b.String()
}

// headerMap and paramValues return the options as maps, for explain.
func (c *requestConfig) headerMap() http.Header {
	h := make(http.Header, len(c.headers))
	for _, p := range c.headers {
		h.Add(p.key, p.value)
	}
	return h
}

func (c *requestConfig) paramValues() url.Values {
	v := make(url.Values, len(c.params))
	for _, p := range c.params {
		v.Add(p.key, p.value)
	}
	return v
}
