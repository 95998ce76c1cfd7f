// Package ui is what the mock's and the relay's inspectors share: the embedded templates,
// stylesheet and script (no build step, nothing fetched from a CDN), the guard that turns a
// token into a session cookie and checks every form's CSRF token, the hub behind the
// Server-Sent Events stream, and the template helpers that keep secrets off the page.
package ui

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
)

//go:embed static templates
var files embed.FS

// Static serves the stylesheet and the script under prefix (e.g. "/_mock/ui/static/").
// They hold nothing secret, so the login page can use them too.
func Static(prefix string) http.Handler {
	sub, _ := fs.Sub(files, "static")
	fileServer := http.StripPrefix(prefix, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fileServer.ServeHTTP(w, r)
	})
}

// Page is one parsed page: the shared layout plus the page's own template file.
type Page struct{ t *template.Template }

// ParsePage parses templates/layout.html with templates/<name>. It panics on a template
// error: the templates are embedded, so an error is a bug caught by any test.
func ParsePage(name string) Page {
	t := template.Must(template.New(name).Funcs(Funcs).ParseFS(files, "templates/layout.html", "templates/"+name))
	return Page{t}
}

// Render writes the whole page. A template that fails to run is a bug, answered with a
// plain message (the inspector's pages start at root).
func (p Page) Render(w http.ResponseWriter, root string, status int, data any) {
	var buf bytes.Buffer
	if err := p.t.ExecuteTemplate(&buf, "layout", data); err != nil {
		drawFailed(w, root, err)
		return
	}
	SecurityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) // a reader gone away is not the page's fault
}

func drawFailed(w http.ResponseWriter, root string, err error) {
	WriteMessage(w, root, http.StatusInternalServerError, "The inspector could not draw this page: "+err.Error())
}

// FragmentHeader is set by live.js when it fetches only the live part of a page.
const FragmentHeader = "X-Inspector-Fragment"

// SecurityHeaders keeps the pages to their own origin: no framing, no foreign scripts.
func SecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}
