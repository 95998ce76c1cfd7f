package signature

import (
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseScheme(t *testing.T) {
	t.Parallel()
	ok := map[string]Scheme{
		"": None, "none": None, "hmac-hex": HMACHex, "standard": Standard,
		" Standard ": Standard, "HMAC-HEX": HMACHex,
	}
	for in, want := range ok {
		got, err := ParseScheme(in)
		if err != nil || got != want {
			t.Errorf("ParseScheme(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := ParseScheme("hmac")
	if err == nil {
		t.Fatal(`ParseScheme("hmac") succeeded, want an error`)
	}
	for _, name := range []string{"none", "hmac-hex", "standard", `"hmac"`} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not mention %s", err, name)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	valid := []Config{
		{},
		{Scheme: None},
		{Scheme: None, Secrets: []string{"ignored"}},
		{Scheme: HMACHex, Secrets: []string{"s3cr3t"}},
		{Scheme: HMACHex, Secrets: []string{"a", "b"}, Header: "X-HWR-SIGNATURE"},
		{Scheme: Standard, Secrets: []string{publishedSecret}},
		{Scheme: Standard, Secrets: []string{publishedSecret}, Tolerance: time.Second, Header: "ignored for standard"},
	}
	for _, c := range valid {
		if err := c.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", c, err)
		}
	}
	invalid := map[string]Config{
		"unknown scheme":       {Scheme: "rsa", Secrets: []string{"x"}},
		"hmac without secret":  {Scheme: HMACHex},
		"hmac empty secret":    {Scheme: HMACHex, Secrets: []string{"a", ""}},
		"hmac bad header name": {Scheme: HMACHex, Secrets: []string{"a"}, Header: "X Sig:"},
		"standard no secret":   {Scheme: Standard},
		"standard not base64":  {Scheme: Standard, Secrets: []string{"whsec_%%%"}},
		"standard negative tol": {Scheme: Standard, Secrets: []string{publishedSecret},
			Tolerance: -time.Second},
	}
	for name, c := range invalid {
		if err := c.Validate(); err == nil {
			t.Errorf("%s: Validate succeeded, want an error", name)
		}
	}
}

func TestSignNoneIsNoOp(t *testing.T) {
	t.Parallel()
	for _, c := range []Config{{}, {Scheme: None, Secrets: []string{"x"}}} {
		h := http.Header{"Content-Type": {"application/json"}}
		if err := c.Sign(h, "msg_1", time.Unix(0, 0), []byte("{}")); err != nil {
			t.Errorf("Sign: %v", err)
		}
		if len(h) != 1 {
			t.Errorf("Sign with scheme %q changed headers: %v", c.Scheme, h)
		}
		if err := c.Verify(http.Header{}, []byte("anything"), time.Now()); err != nil {
			t.Errorf("Verify with scheme %q = %v, want nil", c.Scheme, err)
		}
	}
}

func TestSignHMACHex(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event_key":"contact.add","object_keys":[{"id":1}]}`)
	// Only the first secret signs: receivers of hmac-hex expect one value.
	c := Config{Scheme: HMACHex, Secrets: []string{"new-secret", "old-secret"}}
	h := http.Header{}
	if err := c.Sign(h, "", time.Unix(0, 0), body); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	want := HexHMAC([]byte("new-secret"), body)
	if got := h.Get(DefaultHMACHeader); got != want {
		t.Errorf("%s = %q, want %q", DefaultHMACHeader, got, want)
	}
	if len(h) != 1 {
		t.Errorf("Sign set more than one header: %v", h)
	}

	c.Header = "X-HWR-SIGNATURE"
	h = http.Header{}
	if err := c.Sign(h, "", time.Unix(0, 0), body); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	if h.Get("X-HWR-SIGNATURE") != want || h.Get(DefaultHMACHeader) != "" {
		t.Errorf("custom header not honoured: %v", h)
	}
}

func TestHexHMACKnownAnswer(t *testing.T) {
	t.Parallel()
	// RFC 4231 test case 2.
	got := HexHMAC([]byte("Jefe"), []byte("what do ya want for nothing?"))
	want := "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got != want {
		t.Errorf("HexHMAC = %s, want %s", got, want)
	}
}

func TestSignInvalidConfig(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	if err := (Config{Scheme: HMACHex}).Sign(h, "m", time.Unix(0, 0), nil); err == nil {
		t.Error("Sign with no secret succeeded")
	}
	if err := (Config{Scheme: HMACHex}).Verify(h, nil, time.Unix(0, 0)); err == nil {
		t.Error("Verify with no secret succeeded")
	}
}

// SignatureHeader names the header Sign puts the signature in, for every scheme.
func TestSignatureHeaderIsWhereSignWrites(t *testing.T) {
	t.Parallel()
	std, err := NewStandardSecret(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Config{
		{Scheme: None},
		{Scheme: HMACHex, Secrets: []string{"s"}},
		{Scheme: HMACHex, Secrets: []string{"s"}, Header: "X-HWR-SIGNATURE"},
		{Scheme: Standard, Secrets: []string{std}},
	} {
		h := http.Header{}
		if err := c.Sign(h, "msg_1", time.Unix(0, 0), []byte("{}")); err != nil {
			t.Fatalf("Sign with %+v: %v", c, err)
		}
		name := c.SignatureHeader()
		if (name == "") != (c.Scheme == None) || (name != "" && h.Get(name) == "") {
			t.Errorf("%s: SignatureHeader %q, Sign set %v", c.Scheme, name, h)
		}
	}
}
