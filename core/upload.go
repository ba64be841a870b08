package core

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"os"
	"strings"
)

// Upload is one file of a multipart/form-data request, as PHP's $_FILES
// describes it. The file is removed after the Request callback, unless
// the script moved it.
type Upload struct {
	Field   string // the form field, e.g. "avatar" or "docs[]"
	Name    string // the client's file name
	Type    string // the part's Content-Type
	TmpName string
	Error   int // UPLOAD_ERR_*: 0 OK, 1 too big (upload_max_filesize), 6 no tmp dir, 7 cannot write
	Size    int64
}

// PHP's UPLOAD_ERR_* codes.
const (
	uploadErrIniSize   = 1
	uploadErrNoFile    = 4
	uploadErrNoTmpDir  = 6
	uploadErrCantWrite = 7
)

// parseMultipart reads a multipart/form-data body: files are written
// under upload_tmp_dir, the other fields come back urlencoded so that PHP
// builds $request->post with its own parse_str() rules. As in Swoole,
// every part header counts against max_input_vars, and a part whose
// headers come past it is left out (its Content-Disposition, which
// clients send first, is the part); exceeded reports that, and parsing
// stops there.
func (s *Server) parseMultipart(contentType string, body []byte) (uploads []Upload, fields string, exceeded bool, err error) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || params["boundary"] == "" {
		return nil, "", false, errors.New("boundary of multipart/form-data not found")
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var form []string
	// Swoole takes a header while the count before it is at most the
	// limit: max_input_vars + 1 headers.
	budget := s.opts.MaxInputVars + 1
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return uploads, strings.Join(form, "&"), exceeded, err
		}
		n := 0
		for _, v := range part.Header {
			n += len(v)
		}
		if n > budget {
			exceeded = true
			if budget == 0 {
				break
			}
		}
		typeTaken := min(n, budget) >= 2 // Content-Type comes second
		budget -= min(n, budget)
		field := part.FormName()
		if part.FileName() == "" && !strings.Contains(part.Header.Get("Content-Disposition"), "filename=") {
			// PHP's parse_str() takes max_input_vars of them; Swoole would
			// take the one more it counts, which parse_str() would warn of
			// in the PHP layer's file.
			if len(form) < s.opts.MaxInputVars {
				value, _ := io.ReadAll(part)
				form = append(form, url.QueryEscape(field)+"="+url.QueryEscape(string(value)))
			}
		} else if up := (Upload{Field: field, Name: part.FileName()}); up.Name == "" {
			// A file field left empty: no file, and no type (Swoole).
			up.Error = uploadErrNoFile
			uploads = append(uploads, up)
		} else {
			if typeTaken {
				up.Type = part.Header.Get("Content-Type")
			}
			up.Size, up.TmpName, up.Error = s.saveUpload(part)
			uploads = append(uploads, up)
		}
		if exceeded {
			break
		}
	}
	return uploads, strings.Join(form, "&"), exceeded, nil
}

// saveUpload writes one file part to a temporary file.
func (s *Server) saveUpload(part io.Reader) (size int64, path string, uploadErr int) {
	f, err := os.CreateTemp(s.opts.UploadTmpDir, "swoole.upfile.")
	if err != nil {
		io.Copy(io.Discard, part)
		return 0, "", uploadErrNoTmpDir
	}
	defer f.Close()
	max := s.opts.UploadMaxFilesize
	size, err = io.Copy(f, io.LimitReader(part, max+1))
	switch {
	case err != nil:
		os.Remove(f.Name())
		return 0, "", uploadErrCantWrite
	case size > max:
		os.Remove(f.Name())
		io.Copy(io.Discard, part)
		return 0, "", uploadErrIniSize
	}
	return size, f.Name(), 0
}

// removeUploads deletes what is left of a request's uploaded files.
func removeUploads(uploads []Upload) {
	for _, up := range uploads {
		if up.TmpName != "" {
			os.Remove(up.TmpName)
		}
	}
}
