// Package keap is the wire format of Keap's REST Hooks: the hook resource, the delivery
// payload, header names and error bodies. It imports no other package of this project, so
// the mock, the relay and the contract checks all speak exactly the same format.
package keap

import (
	"net/url"
	"strings"
	"time"
)

// Header names Keap and REST Hooks receivers use.
const (
	// HeaderHookSecret carries the handshake secret: Keap sends it in a POST to hookUrl and
	// the receiver must echo it, same name and value, in a 200 response.
	HeaderHookSecret = "X-Hook-Secret"
	// HeaderAPIKey carries a Personal Access Token or Service Account Key.
	HeaderAPIKey = "X-Keap-API-Key"
)

// Limits Keap applies to deliveries.
const (
	// MaxObjectsPerDelivery is the most object keys one delivery carries.
	MaxObjectsPerDelivery = 1000
	// AttemptTimeout is how long Keap waits for a receiver to answer a delivery.
	AttemptTimeout = 30 * time.Second
	// Attempts is how many times Keap tries a delivery before the hook goes Inactive.
	Attempts = 4
)

// TimestampLayout is the layout of ObjectKey.Timestamp: UTC, whole seconds, a literal Z.
const TimestampLayout = "2006-01-02T15:04:05Z"

// BasePath is where Keap's REST API lives below the host: https://api.infusionsoft.com/crm/rest.
const BasePath = "/crm/rest"

// DefaultBaseURL is the real Keap REST API.
const DefaultBaseURL = "https://api.infusionsoft.com" + BasePath

// Status is the state of a hook subscription.
type Status string

// The three hook states Keap reports.
const (
	StatusUnverified Status = "Unverified"
	StatusVerified   Status = "Verified"
	StatusInactive   Status = "Inactive"
)

// RestHook is a hook subscription exactly as Keap returns it.
type RestHook struct {
	Key      string `json:"key"`
	EventKey string `json:"eventKey"`
	HookURL  string `json:"hookUrl"`
	Status   Status `json:"status"`
}

// RestHookRequest is the body of a create or update.
type RestHookRequest struct {
	EventKey string `json:"eventKey"`
	HookURL  string `json:"hookUrl"`
}

// ObjectKey names one changed object in a delivery.
type ObjectKey struct {
	APIURL    string `json:"apiUrl"`
	ID        int64  `json:"id"`
	Timestamp string `json:"timestamp"`
}

// Event is the body of one delivery: one event key, 1 to 1,000 changed objects, newest first.
// APIURL (api_url) is present in real traffic but always empty.
type Event struct {
	EventKey   string      `json:"event_key"`
	ObjectType string      `json:"object_type"`
	ObjectKeys []ObjectKey `json:"object_keys"`
	APIURL     string      `json:"api_url"`
}

// ObjectType derives a delivery's object_type from its event key: everything before the last
// dot, so "contact.add" gives "contact" and "invoice.payment.add" gives "invoice.payment".
// Keap does not document the rule; this is the project's choice.
func ObjectType(eventKey string) string {
	if i := strings.LastIndexByte(eventKey, '.'); i > 0 {
		return eventKey[:i]
	}
	return eventKey
}

// Timestamp formats t the way Keap stamps object keys.
func Timestamp(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(TimestampLayout)
}

// Message is the body of Keap's API errors: {"message": "..."}.
type Message struct {
	Message string `json:"message"`
}

// Fault is the body of an error from Keap's API gateway (401, 429).
type Fault struct {
	Fault FaultBody `json:"fault"`
}

// FaultBody is the inside of a Fault.
type FaultBody struct {
	FaultString string      `json:"faultstring"`
	Detail      FaultDetail `json:"detail"`
}

// FaultDetail carries the gateway's error code.
type FaultDetail struct {
	ErrorCode string `json:"errorcode"`
}

// InvalidAccessToken is the gateway's answer to a missing or rejected token.
func InvalidAccessToken() Fault {
	return Fault{Fault: FaultBody{
		FaultString: "Invalid access token",
		Detail:      FaultDetail{ErrorCode: "oauth.v2.InvalidAccessToken"},
	}}
}

// Token is the body of a successful POST /token.
type Token struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
}

// OAuthError is the body of a failed POST /token.
type OAuthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// QuotaViolation is the gateway's answer (429) to a call over a rate limit.
func QuotaViolation(identifier string) Fault {
	return Fault{Fault: FaultBody{
		FaultString: "Rate limit quota violation. Quota limit exceeded. Identifier : " + identifier,
		Detail:      FaultDetail{ErrorCode: "policies.ratelimit.QuotaViolation"},
	}}
}

// ShownURL is rawURL as output may show it: a password in it reads xxxxx, because logs,
// reports and consoles end up in CI and screenshots. Requests still carry the password.
func ShownURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	return u.Redacted()
}
