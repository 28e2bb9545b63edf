package record

import (
	"fmt"
	"strings"
)

// Mode says what a Recorder does with each send and with its file.
type Mode uint8

const (
	// Record sends every request and records it; Close replaces the file
	// with what was recorded (an old file is not read).
	Record Mode = iota + 1
	// Replay answers every request from the file and never touches the
	// network; a request with no match fails with a *NoMatchError. Close
	// writes nothing.
	Replay
	// RecordMissing answers the requests the file has, sends and records
	// the others; Close writes the file with the new entries appended.
	RecordMissing
	// Passthrough sends every request and records nothing: the recorder
	// is off without taking it out of the session.
	Passthrough
)

// String returns the name ParseMode reads: "record", "replay",
// "record-missing" or "passthrough".
func (m Mode) String() string {
	switch m {
	case Record:
		return "record"
	case Replay:
		return "replay"
	case RecordMissing:
		return "record-missing"
	case Passthrough:
		return "passthrough"
	}
	return fmt.Sprintf("record.Mode(%d)", uint8(m))
}

// ParseMode reads a mode's name (as String writes it; case and the dash
// do not matter), for a mode taken from a flag or an environment
// variable. The empty string is def.
func ParseMode(s string, def Mode) (Mode, error) {
	switch strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-") {
	case "":
		return def, nil
	case "record":
		return Record, nil
	case "replay":
		return Replay, nil
	case "record-missing", "recordmissing":
		return RecordMissing, nil
	case "passthrough":
		return Passthrough, nil
	}
	return 0, fmt.Errorf("record: unknown mode %q (want record, replay, record-missing or passthrough)", s)
}
