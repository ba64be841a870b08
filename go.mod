module github.com/swoole-shim/swoole-shim

go 1.26.0

require (
	github.com/gorilla/websocket v1.5.3
	github.com/mattn/go-pointer v0.0.1
)

require github.com/andybalholm/brotli v1.3.0

require golang.org/x/sys v0.50.0
