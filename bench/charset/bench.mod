module github.com/relayhttp/relay/bench

go 1.26.0

require github.com/relayhttp/relay v0.0.0

require (
	github.com/peterhellberg/link v1.2.0 // indirect
	github.com/tomnomnom/linkheader v0.0.0-20250811210735-e5fe3b51442e // indirect
	golang.org/x/text v0.44.0
)

replace github.com/relayhttp/relay => ../
