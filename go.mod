module github.com/swoole-shim/swoole-shim

go 1.26

require (
	github.com/gorilla/websocket v1.5.3
	github.com/mattn/go-pointer v0.0.1
)

require github.com/andybalholm/brotli v1.3.0
