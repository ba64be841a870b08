package core

import (
	"slices"
	"strings"
	"testing"

	"github.com/swoole-shim/swoole-shim/core/phpser"
)

func TestParseCookies(t *testing.T) {
	for _, tt := range []struct {
		values   []string
		max      int
		want     phpser.Pairs
		exceeded bool
	}{
		// PHP's $_COOKIE: the first of a name wins, values raw-decoded
		// ('+' stays), a pair without a name skipped, a name alone "".
		{[]string{"a=1; b=x%20y+z; a=2", "=v; ;HttpOnly; c=%zz"}, 10,
			phpser.Pairs{{Key: "a", Value: "1"}, {Key: "b", Value: "x y+z"}, {Key: "HttpOnly", Value: ""}, {Key: "c", Value: "%zz"}}, false},
		// Repeats count against the limit.
		{[]string{"a=1; a=2; b=3"}, 2, phpser.Pairs{{Key: "a", Value: "1"}}, true},
		{[]string{"a=1; b=2"}, 2, phpser.Pairs{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}, false},
	} {
		got, exceeded := parseCookies(tt.values, tt.max)
		if !slices.Equal(got, tt.want) || exceeded != tt.exceeded {
			t.Errorf("%q max %d: %v %v, want %v %v", tt.values, tt.max, got, exceeded, tt.want, tt.exceeded)
		}
	}
}

func TestVarsPrefix(t *testing.T) {
	for _, tt := range []struct {
		query    string
		max      int
		want     string
		exceeded bool
	}{
		{"a=1&b=2&c=3", 2, "a=1&b=2", true},
		{"a=1&&b=2&", 2, "a=1&&b=2&", false},
		{"&&a&b", 1, "&&a", true},
		{"", 1, "", false},
	} {
		n, exceeded := varsPrefix(tt.query, tt.max)
		if tt.query[:n] != tt.want || exceeded != tt.exceeded {
			t.Errorf("%q max %d: %q %v, want %q %v", tt.query, tt.max, tt.query[:n], exceeded, tt.want, tt.exceeded)
		}
	}
}

func TestMultipartInputVars(t *testing.T) {
	var body strings.Builder
	for range 5 {
		body.WriteString("--B\r\nContent-Disposition: form-data; name=\"f[]\"; filename=\"f\"\r\nContent-Type: text/plain\r\n\r\nx\r\n")
	}
	body.WriteString("--B--\r\n")
	s := &Server{opts: defaultOptions}
	s.opts.UploadTmpDir = t.TempDir()
	for _, tt := range []struct {
		max      int
		types    []string
		exceeded bool
	}{
		// Swoole takes max+1 headers: the last part counted gets its
		// Content-Disposition but not its Content-Type.
		{4, []string{"text/plain", "text/plain", ""}, true},
		{5, []string{"text/plain", "text/plain", "text/plain"}, true},
		{9, []string{"text/plain", "text/plain", "text/plain", "text/plain", "text/plain"}, false},
	} {
		s.opts.MaxInputVars = tt.max
		uploads, _, exceeded, err := s.parseMultipart("multipart/form-data; boundary=B", []byte(body.String()))
		removeUploads(uploads)
		var types []string
		for _, up := range uploads {
			types = append(types, up.Type)
		}
		if err != nil || exceeded != tt.exceeded || !slices.Equal(types, tt.types) {
			t.Errorf("max %d: types %q exceeded %v err %v, want %q %v", tt.max, types, exceeded, err, tt.types, tt.exceeded)
		}
	}
}

// An empty file field (filename="") has no type, as in Swoole's
// upload_file_empty test, and error 4.
func TestMultipartEmptyFile(t *testing.T) {
	s := &Server{opts: defaultOptions}
	body := "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--B--\r\n"
	uploads, _, _, err := s.parseMultipart("multipart/form-data; boundary=B", []byte(body))
	if want := []Upload{{Field: "f", Error: uploadErrNoFile}}; err != nil || !slices.Equal(uploads, want) {
		t.Errorf("%+v %v, want %+v", uploads, err, want)
	}
}

// Form fields stop at max_input_vars, so that parse_str() in the PHP layer
// never warns.
func TestMultipartFields(t *testing.T) {
	s := &Server{opts: defaultOptions}
	s.opts.MaxInputVars = 2
	body := strings.Repeat("--B\r\nContent-Disposition: form-data; name=\"a[]\"\r\n\r\nv\r\n", 4) + "--B--\r\n"
	_, form, exceeded, err := s.parseMultipart("multipart/form-data; boundary=B", []byte(body))
	if form != "a%5B%5D=v&a%5B%5D=v" || !exceeded || err != nil {
		t.Errorf("%q %v %v", form, exceeded, err)
	}
}
