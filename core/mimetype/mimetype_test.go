package mimetype

import "testing"

func TestGet(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"index.html", "text/html"},
		{"/srv/a.b/README.TXT", "text/plain"},
		{"app.js", "application/javascript"},
		{"index.php", OctetStream},
		{"/srv/www.v2/Makefile", OctetStream},
		{"json", "application/json"}, // no dot: the whole name is the suffix
	} {
		if got := Get(c.name); got != c.want {
			t.Errorf("Get(%q) = %q, want %q", c.name, got, c.want)
		}
		if got, want := Exists(c.name), c.want != OctetStream; got != want {
			t.Errorf("Exists(%q) = %v, want %v", c.name, got, want)
		}
	}
}

func TestSetDelete(t *testing.T) {
	Set("moc", "application/x-mocha")
	if got := Get("a.MOC"); got != "application/x-mocha" {
		t.Errorf("after Set: %q", got)
	}
	if !Delete("moc") || Delete("moc") {
		t.Error("Delete: true once, then false")
	}
	if Exists("a.moc") {
		t.Error("deleted suffix still exists")
	}
}
