package client

import "github.com/relayhttp/relay/record"

// WithRecorder plugs rec into the session at the per-send position
// (UseSend): every physical send — redirect hop, retry attempt,
// authentication round — is recorded or replayed by rec, with the headers
// the session marks sensitive (MarkSensitive, also when marked later)
// redacted on top of rec's own rules. The caller closes rec when done
// (Close writes its file).
func WithRecorder(rec *record.Recorder) SessionOption {
	return Configure(func(s *Session) {
		s.UseSend(rec.MiddlewareWithSensitive(s.sensitiveHeaders))
	})
}
