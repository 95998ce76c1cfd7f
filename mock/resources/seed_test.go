package resources

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/fixtures"
)

// The seeded account is served as the fixtures describe it, and loading it emits nothing.
func TestSeedLoadsWithoutEvents(t *testing.T) {
	h := newHarness(t, true)
	wantEvents(t, h.takeEvents())
	d, _ := fixtures.Seed()
	for _, rec := range d.Contacts {
		got := h.must("GET", "/v1/contacts/"+string(num(rec.ID)), nil, http.StatusOK)
		want, _ := decodeObject(rec.Body)
		if toJSON(t, got) != toJSON(t, want) {
			t.Errorf("contact %d:\n got %s\nwant %s", rec.ID, toJSON(t, got), toJSON(t, want))
		}
		if len(got.list("email_addresses")) == 0 || len(got.list("phone_numbers")) == 0 || len(got.list("addresses")) == 0 {
			t.Errorf("contact %d lacks an email, phone or address", rec.ID)
		}
	}
	for _, rec := range d.Tags {
		h.must("GET", "/v1/tags/"+string(num(rec.ID)), nil, http.StatusOK)
	}
	for _, rec := range d.Opportunities {
		h.must("GET", "/v1/opportunities/"+string(num(rec.ID)), nil, http.StatusOK)
	}
	pipeline := h.mustList("GET", "/v1/opportunity/stage_pipeline", nil, http.StatusOK)
	var want []object
	json.Unmarshal(d.Pipeline, &want)
	if toJSON(t, pipeline) != toJSON(t, want) {
		t.Errorf("pipeline:\n got %s\nwant %s", toJSON(t, pipeline), toJSON(t, want))
	}
}

// A seed that collides with what the store holds is refused whole.
func TestSeedTwiceIsRefusedAndChangesNothing(t *testing.T) {
	h := newHarness(t, true)
	d, _ := fixtures.Seed()
	d.Contacts = append(d.Contacts, fixtures.Record{ID: 2099, Body: json.RawMessage(`{"id":2099,"given_name":"Late"}`)})
	err := h.store.LoadSeed(d)
	if err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Fatalf("LoadSeed twice: %v", err)
	}
	h.fail("GET", "/v1/contacts/2099", nil, http.StatusNotFound)

	fresh := New(Config{})
	bad := fixtures.SeedData{Contacts: []fixtures.Record{{ID: 5, Body: json.RawMessage(`{"id":6}`)}}}
	if err := fresh.LoadSeed(bad); err == nil {
		t.Error("a record whose body has another id was accepted")
	}
}

// New objects get ids after the seed's and below the ids /_mock/events invents.
func TestNewIDsFollowTheSeed(t *testing.T) {
	h := newHarness(t, true)
	id := h.newContact("Next")
	if id <= 2027 || id >= idCeiling {
		t.Errorf("new contact id %d", id)
	}
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
