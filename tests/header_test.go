package tests

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestHeaderMatchesExports holds capi/swoole_shim.h, the header C programs
// and PHP's FFI load, against the header cgo writes for the exports of
// capi/main.go: every export is declared there with the same return and
// parameter types, and every function declared there is exported. The two
// can drift apart because capi compiles with SWOOLE_SHIM_NO_PROTOTYPES (cgo
// declares the exports itself, without const). A Go test rather than a
// check in build.sh: it parses C declarations and names what differs.
func TestHeaderMatchesExports(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-trimpath",
		"-o", filepath.Join(dir, "libswoole_shim.so"), "./capi")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	generated, err := os.ReadFile(filepath.Join(dir, "libswoole_shim.h"))
	if err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(filepath.Join(root, "capi/swoole_shim.h"))
	if err != nil {
		t.Fatal(err)
	}
	exports := cgoExports(t, string(generated))
	declared := headerFunctions(t, string(written))
	if len(exports) == 0 {
		t.Fatal("no exports found in cgo's header")
	}
	for name, sig := range exports {
		switch d, ok := declared[name]; {
		case !ok:
			t.Errorf("%s is exported but not declared in swoole_shim.h", sig)
		case d != sig:
			t.Errorf("%s: swoole_shim.h declares %s, the export is %s", name, d, sig)
		}
	}
	for name, sig := range declared {
		if _, ok := exports[name]; !ok {
			t.Errorf("swoole_shim.h declares %s, which is not exported", sig)
		}
	}
}

// TestCDeclSignature: what the header comparison takes as the same type.
func TestCDeclSignature(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"int f(void)", "int f()", true},
		{"size_t f(const char *buf, size_t cap)", "size_t f(char* b, size_t capacity)", true},
		{"int64_t f(GoInt a, GoUint8 *b)", "long long f(int64_t x, uint8_t* y)", true},
		{"uint64_t f(unsigned long long a, unsigned int b)", "GoUint64 f(size_t x, uint32_t y)", true},
		{"swoole_server *f(const struct swoole_event *ev)", "swoole_server* f(swoole_event* e)", true},
		{"int f(int a, int b)", "int f(int a)", false},
		{"int f(int64_t a)", "int f(int a)", false},
		{"int f(char *s)", "int f(uint8_t *s)", false},
		{"int f(int *p)", "int f(int **p)", false},
		{"int f(void)", "int64_t f(void)", false},
		{"int f(GoString s)", "int f(char *s)", false},
	} {
		_, a, err := parseCDecl(c.a)
		if err != nil {
			t.Fatalf("%s: %v", c.a, err)
		}
		_, b, err := parseCDecl(c.b)
		if err != nil {
			t.Fatalf("%s: %v", c.b, err)
		}
		if (a == b) != c.same {
			t.Errorf("%q (%s) and %q (%s): same = %v, want %v", c.a, a, c.b, b, a == b, c.same)
		}
	}
}

// cgoExports returns the signatures of the exports in a header cgo wrote.
func cgoExports(t *testing.T, h string) map[string]string {
	t.Helper()
	_, exports, ok := strings.Cut(h, "End of boilerplate cgo prologue.")
	if !ok {
		t.Fatal("cgo's header has no end of prologue")
	}
	sigs := map[string]string{}
	for _, line := range strings.Split(exports, "\n") {
		decl, ok := strings.CutPrefix(strings.TrimSpace(line), "extern ")
		if !ok || !strings.HasSuffix(decl, ");") {
			continue // extern "C" {
		}
		addDecl(t, sigs, strings.TrimSuffix(decl, ";"))
	}
	return sigs
}

var (
	cComment   = regexp.MustCompile(`(?s)/\*.*?\*/|//[^\n]*`)
	cDirective = regexp.MustCompile(`(?m)^\s*#.*$`)
	cBlock     = regexp.MustCompile(`\{[^{}]*\}`)
)

// headerFunctions returns the signatures of the functions a header declares.
func headerFunctions(t *testing.T, h string) map[string]string {
	t.Helper()
	h = cDirective.ReplaceAllString(cComment.ReplaceAllString(h, " "), " ")
	for cBlock.MatchString(h) {
		h = cBlock.ReplaceAllString(h, " ")
	}
	sigs := map[string]string{}
	for _, stmt := range strings.Split(h, ";") {
		stmt = strings.TrimSpace(stmt)
		if strings.Contains(stmt, "(") && !strings.HasPrefix(stmt, "typedef") {
			addDecl(t, sigs, stmt)
		}
	}
	return sigs
}

func addDecl(t *testing.T, sigs map[string]string, decl string) {
	t.Helper()
	name, sig, err := parseCDecl(decl)
	if err != nil {
		t.Fatalf("%q: %v", decl, err)
	}
	if _, dup := sigs[name]; dup {
		t.Fatalf("%s declared twice", name)
	}
	sigs[name] = sig
}

var cFunc = regexp.MustCompile(`^(.*?)\b([A-Za-z_]\w*)\s*\((.*)\)$`)

// parseCDecl parses a function declaration "RET NAME(TYPE name, ...)" into
// its name and a signature of canonical types, "ret name(type, ...)".
func parseCDecl(decl string) (name, sig string, err error) {
	m := cFunc.FindStringSubmatch(strings.Join(strings.Fields(decl), " "))
	if m == nil {
		return "", "", errors.New("not a function declaration")
	}
	var params []string
	if p := strings.TrimSpace(m[3]); p != "" && p != "void" {
		for _, param := range strings.Split(p, ",") {
			params = append(params, cType(param, true))
		}
	}
	return m[2], cType(m[1], false) + " " + m[2] + "(" + strings.Join(params, ", ") + ")", nil
}

// cWords are the words of C's own type names, never a parameter's name.
var cWords = []string{"void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "_Bool"}

// cCanon gives the spellings of one type on LP64 Linux (amd64, arm64), C's
// and the typedefs of cgo's header, a single name. Other names (the
// header's own types, GoString, ...) stand for themselves.
var cCanon = func() map[string]string {
	m := map[string]string{}
	for canon, names := range map[string][]string{
		"int8":    {"signed char", "int8_t", "GoInt8"},
		"uint8":   {"unsigned char", "uint8_t", "GoUint8", "_Bool", "bool"},
		"int16":   {"short", "short int", "signed short", "signed short int", "int16_t", "GoInt16"},
		"uint16":  {"unsigned short", "unsigned short int", "uint16_t", "GoUint16"},
		"int32":   {"int", "signed", "signed int", "int32_t", "GoInt32"},
		"uint32":  {"unsigned", "unsigned int", "uint32_t", "GoUint32"},
		"int64":   {"long", "long int", "signed long", "long long", "long long int", "signed long long", "int64_t", "ssize_t", "ptrdiff_t", "intptr_t", "GoInt", "GoInt64"},
		"uint64":  {"unsigned long", "unsigned long int", "unsigned long long", "unsigned long long int", "uint64_t", "size_t", "uintptr_t", "GoUint", "GoUint64", "GoUintptr"},
		"float32": {"float", "GoFloat32"},
		"float64": {"double", "GoFloat64"},
	} {
		for _, n := range names {
			m[n] = canon
		}
	}
	return m
}()

// cType canonicalises a return type, or a parameter with its name dropped:
// qualifiers and "struct" go, typedef names become their C type, and each
// pointer level is a "*".
func cType(s string, named bool) string {
	words := strings.Fields(strings.ReplaceAll(s, "*", " * "))
	stars := 0
	var base []string
	for i, w := range words {
		switch {
		case w == "*":
			stars++
		case w == "const" || w == "volatile" || w == "restrict" || w == "struct":
		case named && i == len(words)-1 && len(base) > 0 && !slices.Contains(cWords, w):
			// the parameter's name
		default:
			base = append(base, w)
		}
	}
	t := strings.Join(base, " ")
	if c, ok := cCanon[t]; ok {
		t = c
	}
	return t + strings.Repeat("*", stars)
}
