package http1

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"strings"

	"github.com/andybalholm/brotli"
)

// Encoding picks a response's compression from the request's
// Accept-Encoding as Swoole does: the first of br, gzip and deflate that
// the header mentions at all, or "".
func Encoding(acceptEncoding string) string {
	for _, enc := range []string{"br", "gzip", "deflate"} {
		if strings.Contains(acceptEncoding, enc) {
			return enc
		}
	}
	return ""
}

// Compress compresses a body. Swoole's "deflate" is a raw deflate stream
// (no zlib header), and so is this one.
func Compress(encoding string, level int, body []byte) []byte {
	var buf bytes.Buffer
	switch encoding {
	case "br":
		w := brotli.NewWriterLevel(&buf, min(max(level, brotli.BestSpeed), brotli.BestCompression))
		w.Write(body)
		w.Close()
	case "gzip":
		w, _ := gzip.NewWriterLevel(&buf, clampFlate(level))
		w.Write(body)
		w.Close()
	case "deflate":
		w, _ := flate.NewWriter(&buf, clampFlate(level))
		w.Write(body)
		w.Close()
	default:
		return body
	}
	return buf.Bytes()
}

func clampFlate(level int) int { return min(max(level, flate.BestSpeed), flate.BestCompression) }
