package localca

import (
	"net"
	"slices"
	"strings"
)

// LocalHosts is what a server listening on addr ("127.0.0.1:8080", ":8080",
// "devbox.lan:8443") needs its certificate to name: 127.0.0.1, ::1 and localhost, which
// always reach it from this machine, plus the host of addr when it names one that a
// certificate can hold.
func LocalHosts(addr string) []string {
	hosts := []string{"127.0.0.1", "::1", "localhost"}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr // no port: addr is the host itself
	}
	host = strings.Trim(host, "[]")
	if ip, _, zoned := strings.Cut(host, "%"); zoned {
		host = ip // a certificate names an address, never its interface
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		return hosts
	}
	if ip := net.ParseIP(host); ip != nil {
		host = ip.String()
	} else if host = strings.ToLower(strings.TrimSuffix(host, ".")); !validHostName(host) {
		return hosts
	}
	if !slices.Contains(hosts, host) {
		hosts = append(hosts, host)
	}
	return hosts
}
