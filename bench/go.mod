module github.com/relayhttp/relay/bench

go 1.26.0

require (
	github.com/carlmjohnson/requests v0.25.1
	github.com/gregjones/httpcache v0.0.0-20190611155906-901d90724c79
	github.com/peterhellberg/link v1.2.0
	github.com/relayhttp/relay v0.0.0
	github.com/tomnomnom/linkheader v0.0.0-20250811210735-e5fe3b51442e
	go.uber.org/goleak v1.3.0
)

require (
	github.com/andybalholm/brotli v1.3.0 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/klauspost/compress v1.20.4 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	go.uber.org/zap v1.28.0 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)

replace github.com/relayhttp/relay => ../
