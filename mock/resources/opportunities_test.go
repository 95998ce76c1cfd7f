package resources

import (
	"net/http"
	"testing"
)

func TestOpportunityStageMove(t *testing.T) {
	h := newHarness(t, true)
	// Same stage: an edit only.
	h.must("PATCH", "/v1/opportunities/301", map[string]any{"stage": map[string]any{"id": 15}, "opportunity_title": "Renamed"}, http.StatusOK)
	wantEvents(t, h.takeEvents(), "opportunity.edit:301")

	o := h.must("PATCH", "/v1/opportunities/301", map[string]any{"stage": map[string]any{"id": 19}}, http.StatusOK)
	wantEvents(t, h.takeEvents(), "opportunity.edit:301", "opportunity.stage_move:301")
	if o.sub("stage").str("name") != "Closed Won" || o.str("opportunity_title") != "Renamed" {
		t.Errorf("after the move: %v", o)
	}
	pipeline := h.mustList("GET", "/v1/opportunity/stage_pipeline", nil, http.StatusOK)
	counts := map[int64]int64{}
	for _, st := range pipeline {
		id, _ := st.int("stage_id")
		counts[id], _ = st.int("stage_count")
	}
	if counts[19] != 1 || counts[15] != 0 {
		t.Errorf("stage counts after the move: %v", counts)
	}

	// PUT /opportunities replaces the opportunity its body names.
	h.must("PUT", "/v1/opportunities", map[string]any{"id": 303, "opportunity_title": "Workshop", "contact": map[string]any{"id": 2005},
		"stage": map[string]any{"id": 21}}, http.StatusOK)
	wantEvents(t, h.takeEvents(), "opportunity.edit:303", "opportunity.stage_move:303")
	h.fail("PUT", "/v1/opportunities", map[string]any{"opportunity_title": "W", "contact": map[string]any{"id": 2005},
		"stage": map[string]any{"id": 21}}, http.StatusBadRequest)
	h.fail("PATCH", "/v1/opportunities/301", map[string]any{"stage": map[string]any{"id": 12}}, http.StatusBadRequest)
	h.fail("POST", "/v1/opportunities", map[string]any{"opportunity_title": "No contact", "stage": map[string]any{"id": 11}}, http.StatusBadRequest)
	wantEvents(t, h.takeEvents())

	found := h.must("GET", "/v1/opportunities?search_term=priya", nil, http.StatusOK)
	if l := found.list("opportunities"); len(l) != 1 || l[0].id() != 303 {
		t.Errorf("search by contact name: %v", found)
	}
}

// A fresh mock has Keap's default pipeline, so opportunities work without --seed.
func TestOpportunitiesWithoutSeed(t *testing.T) {
	h := newHarness(t, false)
	c := h.newContact("Elena")
	o := h.must("POST", "/v1/opportunities", map[string]any{"opportunity_title": "Bakery", "contact": map[string]any{"id": c},
		"stage": map[string]any{"id": 11}, "projected_revenue_low": 1200}, http.StatusOK)
	if o.sub("contact").str("email") != "elena@example.com" || o.sub("stage").str("name") != "New Lead" {
		t.Errorf("opportunity: %v", o)
	}
}
