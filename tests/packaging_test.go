package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestPkgConfig installs the library under a temporary prefix and builds
// a C program with exactly `cc app.c $(pkg-config --cflags --libs swoole-shim)`.
func TestPkgConfig(t *testing.T) {
	prefix := t.TempDir()
	run(t, root, nil, filepath.Join(root, "build.sh"), "install", prefix)
	env := []string{"PKG_CONFIG_PATH=" + filepath.Join(prefix, "lib/pkgconfig")}
	flags := strings.Fields(run(t, root, env, "pkg-config", "--cflags", "--libs", "swoole-shim"))
	bin := filepath.Join(t.TempDir(), "app")
	run(t, root, env, "cc", append([]string{"-o", bin, filepath.Join(root, "examples/c/echo_server.c")}, flags...)...)
	port := freePort(t)
	p := startProc(t, nil, bin, strconv.Itoa(port))
	p.waitPort(port)
	ws := dialWS(t, port)
	if got := readText(t, ws); got != "hello, welcome\n" {
		t.Fatalf("welcome %q", got)
	}
	if out, _ := exec.Command("ldd", bin).Output(); !strings.Contains(string(out), filepath.Join(prefix, "lib/libswoole_shim.so")) {
		t.Fatalf("not linked against the installed library:\n%s", out)
	}
}

// TestComposer installs the checkout into a project with Composer (a path
// repository, no network): vendor/autoload.php defines Swoole's classes and
// vendor/bin/php-swoole runs scripts.
func TestComposer(t *testing.T) {
	run(t, root, nil, "composer", "validate", "--strict", "--no-interaction")
	project := t.TempDir()
	os.WriteFile(filepath.Join(project, "composer.json"), []byte(`{
    "repositories": [{"type": "path", "url": "`+root+`"}, {"packagist.org": false}],
    "require": {"swoole-shim/swoole-shim": "*@dev"}
}`), 0o644)
	env := []string{"COMPOSER_HOME=" + filepath.Join(project, ".composer")}
	run(t, project, env, "composer", "install", "--no-interaction", "--no-progress")
	got := run(t, project, nil, "php", "-r", `require "vendor/autoload.php"; echo class_exists("Swoole\\WebSocket\\Server") ? "yes" : "no", " ", SWOOLE_VERSION, "\n";`)
	if got != "yes 6.1.9\n" {
		t.Fatalf("autoload: %q", got)
	}
	os.WriteFile(filepath.Join(project, "hello.php"), []byte("<?php\n$s = new Swoole\\Http\\Server('127.0.0.1', 0);\necho get_class($s), \"\\n\";\n"), 0o644)
	if got := run(t, project, nil, "vendor/bin/php-swoole", "hello.php"); got != "Swoole\\Http\\Server\n" {
		t.Fatalf("vendor/bin/php-swoole: %q", got)
	}
}
