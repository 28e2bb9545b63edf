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
// _transferSize, Firefox's _securityState). Entry, Response and Timings
// keep them, so that a browser's file relay rewrites in RecordMissing mode
// keeps them too. Unknown fields without the underscore are not HAR and
// are dropped.
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
	entryOwn    = ownCustom(reflect.TypeFor[Entry]())
	responseOwn = ownCustom(reflect.TypeFor[Response]())
	timingsOwn  = ownCustom(reflect.TypeFor[Timings]())
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

// readCustomFields fills the Custom fields of h's entries, their responses
// and their timings from b, the file h was read from.
func readCustomFields(b []byte, h *HAR) error {
	var raw struct {
		Log struct {
			Entries []map[string]json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for i, fields := range raw.Log.Entries {
		if i >= len(h.Log.Entries) {
			break
		}
		e := &h.Log.Entries[i]
		e.Custom = pickCustom(fields, entryOwn)
		var err error
		if e.Response.Custom, err = nestedCustom(fields["response"], responseOwn); err != nil {
			return err
		}
		if e.Timings.Custom, err = nestedCustom(fields["timings"], timingsOwn); err != nil {
			return err
		}
	}
	return nil
}

// nestedCustom is the custom fields of the object obj, or nil.
func nestedCustom(obj json.RawMessage, known []string) (Custom, error) {
	if !bytes.Contains(obj, []byte(`"_`)) {
		return nil, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(obj, &fields); err != nil {
		return nil, err
	}
	return pickCustom(fields, known), nil
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

// anyCustom reports whether an entry, its response or its timings hold
// custom fields.
func anyCustom(entries []Entry) bool {
	for i := range entries {
		if e := &entries[i]; len(e.Custom)+len(e.Response.Custom)+len(e.Timings.Custom) > 0 {
			return true
		}
	}
	return false
}

// marshalWithCustom is e as JSON (encodeJSON: HTML characters left as
// they are, for the encoder around to decide), with its custom fields
// added at the end of their objects, in name order.
func marshalWithCustom(e *Entry) (json.RawMessage, error) {
	b, err := encodeJSON(e)
	if err != nil {
		return nil, err
	}
	// Each part's span is found in the entry as it is by then.
	for _, part := range []struct {
		key    string
		custom Custom
		own    []string
	}{{"timings", e.Timings.Custom, timingsOwn}, {"response", e.Response.Custom, responseOwn}} {
		if len(part.custom) == 0 {
			continue
		}
		start, end, err := fieldSpan(b, part.key)
		if err != nil {
			return nil, err
		}
		obj, err := appendCustom(slices.Clone(b[start:end]), part.custom, part.own)
		if err != nil {
			return nil, err
		}
		b = slices.Concat(b[:start], obj, b[end:])
	}
	return appendCustom(b, e.Custom, entryOwn)
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

// logWithCustom is l to write with its entries' custom fields: each entry
// made into JSON of its own (the file's "entries" then comes after its
// "comment").
func logWithCustom(l *Log) (any, error) {
	entries := make([]json.RawMessage, len(l.Entries))
	for i := range l.Entries {
		var err error
		if entries[i], err = marshalWithCustom(&l.Entries[i]); err != nil {
			return nil, err
		}
	}
	type logOut struct {
		Log
		Entries []json.RawMessage `json:"entries"` // shadows Log.Entries
	}
	return struct {
		Log logOut `json:"log"`
	}{logOut{*l, entries}}, nil
}
