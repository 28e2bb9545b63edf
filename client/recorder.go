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

// WithCapture plugs the live HAR capture c (record.NewHAR) into the
// session at the per-send position (UseSend): every physical send is an
// entry of c, with httptrace timings and the headers the session marks
// sensitive redacted on top of c's own rules. It is
// s.UseSend(c.MiddlewareWithSensitive(…)); c.WriteFile or c.HAR give what
// was captured.
func WithCapture(c *record.Capture) SessionOption {
	return Configure(func(s *Session) {
		s.UseSend(c.MiddlewareWithSensitive(s.sensitiveHeaders))
	})
}
