package ui

// Frame is what the layout needs from every page's data.
type Frame struct {
	Product string // "mock" or "relay"
	Title   string
	Root    string // the inspector's root path, "/_mock/ui/" or "/"
	Page    string // this page's own path and query, where its forms return
	CSRF    string
	Flash   *Flash
}
