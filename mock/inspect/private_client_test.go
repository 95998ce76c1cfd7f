package inspect_test

import "net/http"

// testClient is this package's tests' own client. httptest.Server.Close closes the idle
// connections of http.DefaultTransport, so a test using http.DefaultClient could have its
// connection closed under it by a parallel test's server shutting down.
var testClient = &http.Client{Transport: &http.Transport{}}
