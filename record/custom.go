package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Custom holds the custom fields of a HAR object that relay has no field
// for, as they were read: HAR 1.2 lets a writer add fields whose names
// start with an underscore (Chrome's _initiator, _priority and
// _transferSize, Firefox's _securityState, WebPageTest's pages and their
// _startRender). Entry, its Request, Response, Content, Cache and Timings,
// and Page and its PageTimings keep them, so that a browser's file relay
// rewrites in RecordMissing mode keeps them too. Unknown fields without the
// underscore are not HAR and are dropped, and so are custom fields of the
// objects that keep none (a post body, a header, a cookie).
//
// ReadHAR fills them and WriteHAR writes them in a pass of their own, made
// only for a file in which a name starting with an underscore appears
// (relay's own, such as _error, included): a HAR without any costs what it
// did before they were kept. A field relay's struct has (Response's
// _error) is never custom: the struct reads and writes it.
type Custom map[string]json.RawMessage

// The custom fields relay's own structs read and write, from their json
// tags.
var (
	entryOwn       = ownCustom(reflect.TypeFor[Entry]())
	requestOwn     = ownCustom(reflect.TypeFor[Request]())
	responseOwn    = ownCustom(reflect.TypeFor[Response]())
	contentOwn     = ownCustom(reflect.TypeFor[Content]())
	cacheOwn       = ownCustom(reflect.TypeFor[Cache]())
	timingsOwn     = ownCustom(reflect.TypeFor[Timings]())
	pageOwn        = ownCustom(reflect.TypeFor[Page]())
	pageTimingsOwn = ownCustom(reflect.TypeFor[PageTimings]())
)

// ownCustom lists the json names of t's fields that start with "_".
func ownCustom(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); strings.HasPrefix(name, "_") {
			names = append(names, name)
		}
	}
	return names
}

// customTree is a HAR object that keeps custom fields, and the objects in
// it that keep theirs.
type customTree struct {
	key    string  // the field of the enclosing object that holds it; "" at the root
	custom *Custom // where its custom fields are kept
	own    []string
	parts  []customTree
}

// entryTree is the tree of e's objects that keep custom fields.
func entryTree(e *Entry) customTree {
	return customTree{custom: &e.Custom, own: entryOwn, parts: []customTree{
		{key: "request", custom: &e.Request.Custom, own: requestOwn},
		{key: "response", custom: &e.Response.Custom, own: responseOwn, parts: []customTree{
			{key: "content", custom: &e.Response.Content.Custom, own: contentOwn},
		}},
		{key: "cache", custom: &e.Cache.Custom, own: cacheOwn},
		{key: "timings", custom: &e.Timings.Custom, own: timingsOwn},
	}}
}

// pageTree is the tree of p's objects that keep custom fields.
func pageTree(p *Page) customTree {
	return customTree{custom: &p.Custom, own: pageOwn, parts: []customTree{
		{key: "pageTimings", custom: &p.PageTimings.Custom, own: pageTimingsOwn},
	}}
}

// readCustomFields fills the Custom fields of h's pages and entries, and
// of the objects in them, from b, the file h was read from.
func readCustomFields(b []byte, h *HAR) error {
	var raw struct {
		Log struct {
			Pages   []map[string]json.RawMessage `json:"pages"`
			Entries []map[string]json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for i, fields := range raw.Log.Pages {
		if i < len(h.Log.Pages) {
			if err := pageTree(&h.Log.Pages[i]).read(fields); err != nil {
				return err
			}
		}
	}
	for i, fields := range raw.Log.Entries {
		if i < len(h.Log.Entries) {
			if err := entryTree(&h.Log.Entries[i]).read(fields); err != nil {
				return err
			}
		}
	}
	return nil
}

// read fills t's custom fields, and its parts', from fields: the object t
// is, decoded one level. A part whose JSON has no name starting with "_"
// is not decoded.
func (t customTree) read(fields map[string]json.RawMessage) error {
	*t.custom = pickCustom(fields, t.own)
	for _, part := range t.parts {
		obj := fields[part.key]
		if !bytes.Contains(obj, []byte(`"_`)) {
			continue
		}
		var inner map[string]json.RawMessage
		if err := json.Unmarshal(obj, &inner); err != nil {
			return err
		}
		if err := part.read(inner); err != nil {
			return err
		}
	}
	return nil
}

// pickCustom returns the fields whose names start with "_", but those in
// known, or nil for none.
func pickCustom(fields map[string]json.RawMessage, known []string) Custom {
	var c Custom
	for name, v := range fields {
		if strings.HasPrefix(name, "_") && !slices.Contains(known, name) {
			if c == nil {
				c = Custom{}
			}
			c[name] = v
		}
	}
	return c
}

// empty reports whether neither t nor any of its parts holds a custom
// field.
func (t customTree) empty() bool {
	if len(*t.custom) > 0 {
		return false
	}
	for _, part := range t.parts {
		if !part.empty() {
			return false
		}
	}
	return true
}

// anyCustom reports whether a page or an entry of l, or an object in
// one, holds custom fields.
func anyCustom(l *Log) bool {
	for i := range l.Pages {
		if !pageTree(&l.Pages[i]).empty() {
			return true
		}
	}
	for i := range l.Entries {
		if !entryTree(&l.Entries[i]).empty() {
			return true
		}
	}
	return false
}

// marshalWithCustom is v, whose tree t is, as JSON (encodeJSON: HTML
// characters left as they are, for the encoder around to decide), with
// the custom fields added at the end of their objects, in name order.
func marshalWithCustom(v any, t customTree) (json.RawMessage, error) {
	b, err := encodeJSON(v)
	if err != nil {
		return nil, err
	}
	return t.write(b)
}

// write adds t's custom fields, and its parts', to obj: the JSON object t
// is. Each part's span is found in obj as it is by then.
func (t customTree) write(obj []byte) ([]byte, error) {
	for _, part := range t.parts {
		if part.empty() {
			continue
		}
		start, end, err := fieldSpan(obj, part.key)
		if err != nil {
			return nil, err
		}
		inner, err := part.write(slices.Clone(obj[start:end]))
		if err != nil {
			return nil, err
		}
		obj = slices.Concat(obj[:start], inner, obj[end:])
	}
	return appendCustom(obj, *t.custom, t.own)
}

// fieldSpan finds the value of the top-level field key in the JSON object
// obj: its start and end offsets.
func fieldSpan(obj []byte, key string) (start, end int, err error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if _, err := dec.Token(); err != nil { // {
		return 0, 0, err
	}
	for dec.More() {
		name, err := dec.Token()
		if err != nil {
			return 0, 0, err
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return 0, 0, err
		}
		if name == key {
			end := int(dec.InputOffset())
			return end - len(value), end, nil
		}
	}
	return 0, 0, fmt.Errorf("no %q field", key)
}

// appendCustom adds c's fields to the end of the JSON object obj, but
// those named in own, which obj's struct wrote itself.
func appendCustom(obj []byte, c Custom, own []string) (json.RawMessage, error) {
	if len(c) == 0 {
		return obj, nil
	}
	out := bytes.TrimRight(obj, " \t\r\n")
	out = out[:len(out)-1] // without its closing brace
	empty := bytes.Equal(bytes.TrimSpace(out), []byte("{"))
	for _, name := range slices.Sorted(maps.Keys(c)) {
		if slices.Contains(own, name) {
			continue
		}
		if !json.Valid(c[name]) {
			return nil, fmt.Errorf("custom field %s is not JSON", name)
		}
		if !empty {
			out = append(out, ',')
		}
		empty = false
		key, err := encodeJSON(name)
		if err != nil {
			return nil, err
		}
		out = append(append(append(out, key...), ':'), c[name]...)
	}
	return append(out, '}'), nil
}

// logWithCustom is l to write with its custom fields: each page and
// entry made into JSON of its own (the file's "pages" and "entries" then
// come after its "comment").
func logWithCustom(l *Log) (any, error) {
	var pages []json.RawMessage
	if l.Pages != nil {
		pages = make([]json.RawMessage, len(l.Pages))
	}
	for i := range l.Pages {
		var err error
		if pages[i], err = marshalWithCustom(&l.Pages[i], pageTree(&l.Pages[i])); err != nil {
			return nil, err
		}
	}
	entries := make([]json.RawMessage, len(l.Entries))
	for i := range l.Entries {
		var err error
		if entries[i], err = marshalWithCustom(&l.Entries[i], entryTree(&l.Entries[i])); err != nil {
			return nil, err
		}
	}
	type logOut struct {
		Log
		Pages   []json.RawMessage `json:"pages,omitempty"` // shadows Log.Pages
		Entries []json.RawMessage `json:"entries"`         // shadows Log.Entries
	}
	return struct {
		Log logOut `json:"log"`
	}{logOut{*l, pages, entries}}, nil
}
