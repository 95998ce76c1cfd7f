package resources

import (
	"net/http"
)

// Opportunities through v2: opportunity.add, .edit and .delete; a PATCH that changes
// stage_id also emits opportunity.stage_move, and every stage change (through either
// version) is kept as a stage move v2 lists.

func (s *Store) opportunityRoutes2() []Route {
	k := &v2Kind{kind: s.opportunityKind(), idVar2: "opportunity_id", render2: (*db).opportunity2, masks: opportunityMask2,
		newBody: func() v2Body { return &opportunityBody2{} }}
	moves := func(d *db) *table { return d.stageMoves }
	return []Route{
		{http.MethodGet, "/opportunities", s.v2List(opportunityListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.opportunities.all(), d.opportunity2), nil
		})},
		{http.MethodPost, "/opportunities", s.v2Create(k)},
		{http.MethodGet, "/opportunities/stageMoves", s.v2List(stageMoveListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.stageMoves.all(), stageMove2), nil
		})},
		{http.MethodGet, "/opportunities/stageMoves/{stage_move_id}", s.v2Get("stage_move_id", moves, func(_ *db, o object) object { return stageMove2(o) }, nil)},
		{http.MethodGet, "/opportunities/{opportunity_id}", s.v2Get2(k, opportunityFields2)},
		{http.MethodPatch, "/opportunities/{opportunity_id}", s.v2Update(k)},
		{http.MethodDelete, "/opportunities/{opportunity_id}", s.v2Remove(k)},
	}
}

var (
	opportunityMask2 = []string{"opportunity_title", "next_action_time", "next_action_notes", "opportunity_notes",
		"estimated_close_time", "include_in_forecast", "projected_revenue_low", "projected_revenue_high", "contact_id",
		"stage_id", "user_id", "custom_fields", "affiliate_id"}
	opportunityFields2 = []string{"contact", "stage", "user", "opportunity_title", "next_action_time", "next_action_notes",
		"opportunity_notes", "estimated_close_time", "include_in_forecast", "projected_revenue_low", "projected_revenue_high",
		"custom_fields", "created_time", "last_updated_time", "affiliate_id"}
)

// opportunity2 is a stored opportunity as v2's RestV2Opportunity.
func (d *db) opportunity2(o object) object {
	v1 := renderOpportunity(d, o)
	out := object{"id": idString(o["id"]), "opportunity_title": o.str("opportunity_title"),
		"include_in_forecast": o.float("include_in_forecast") != 0, "custom_fields": customFields2(o.list("custom_fields"))}
	for _, k := range []string{"next_action_notes", "opportunity_notes", "projected_revenue_low", "projected_revenue_high"} {
		copyAs(o, out, k, k)
	}
	copyAs(o, out, "next_action_date", "next_action_time")
	copyAs(o, out, "estimated_close_date", "estimated_close_time")
	copyAs(o, out, "date_created", "created_time")
	copyAs(o, out, "last_updated", "last_updated_time")
	setID(out, "affiliate_id", o["affiliate_id"])
	contact := v1.sub("contact").only("email", "first_name", "last_name", "company_name", "job_title", "phone_number")
	contact["id"] = idString(v1.sub("contact")["id"])
	out["contact"] = contact
	stage := v1.sub("stage").only("name")
	stage["id"] = idString(v1.sub("stage")["id"])
	out["stage"] = stage
	if u := v1.sub("user"); u != nil {
		user := u.only("first_name", "last_name")
		user["id"] = idString(u["id"])
		out["user"] = user
	}
	return out
}

var opportunityListing2 = &v2Listing{
	key:    "opportunities",
	fields: opportunityFields2,
	filters: map[string]v2Filter{
		"contact_id": {fSet, func(o object) []string { return valuesOf(o.sub("contact")["id"]) }},
		"stage_id":   {fSet, func(o object) []string { return valuesOf(o.sub("stage")["id"]) }},
		"user_id":    {fSet, func(o object) []string { return valuesOf(o.sub("user")["id"]) }},
		"search_term": {fText, func(o object) []string {
			return append(valuesOf(o["opportunity_title"]), valuesOf(o.sub("contact")["email"])...)
		}},
	},
	orders: orderBy("id", "opportunity_title", "created_time", "last_updated_time", "next_action_time", "estimated_close_time"),
}

// opportunityBody2 is v2's CreateOpportunityRequest and UpdateOpportunityRequestV2.
type opportunityBody2 struct {
	AffiliateID          *string         `json:"affiliate_id,omitempty"`
	ContactID            *string         `json:"contact_id,omitempty"`
	CustomFields         *[]customField2 `json:"custom_fields,omitempty"`
	EstimatedCloseTime   *string         `json:"estimated_close_time,omitempty"`
	IncludeInForecast    *bool           `json:"include_in_forecast,omitempty"`
	NextActionNotes      *string         `json:"next_action_notes,omitempty"`
	NextActionTime       *string         `json:"next_action_time,omitempty"`
	OpportunityNotes     *string         `json:"opportunity_notes,omitempty"`
	OpportunityTitle     *string         `json:"opportunity_title,omitempty"`
	ProjectedRevenueHigh *float64        `json:"projected_revenue_high,omitempty"`
	ProjectedRevenueLow  *float64        `json:"projected_revenue_low,omitempty"`
	StageID              *string         `json:"stage_id,omitempty"`
	UserID               *string         `json:"user_id,omitempty"`
}

func (b *opportunityBody2) toV1(c *check) input {
	in := &opportunityInput{EstimatedCloseDate: b.EstimatedCloseTime, NextActionDate: b.NextActionTime,
		NextActionNotes: b.NextActionNotes, OpportunityNotes: b.OpportunityNotes, OpportunityTitle: b.OpportunityTitle,
		ProjectedRevenueHigh: b.ProjectedRevenueHigh, ProjectedRevenueLow: b.ProjectedRevenueLow}
	in.AffiliateID = c.idField("affiliate_id", b.AffiliateID)
	in.CustomFields = customFieldsToV1(c, b.CustomFields)
	if id := c.idField("contact_id", b.ContactID); id != nil {
		in.Contact = &opportunityContact{ID: id}
	}
	if id := c.idField("stage_id", b.StageID); id != nil {
		in.Stage = &stageInput{ID: id}
	}
	if id := c.idField("user_id", b.UserID); id != nil {
		in.User = &simpleUser{ID: id}
	}
	if b.IncludeInForecast != nil {
		f := int32(0)
		if *b.IncludeInForecast {
			f = 1
		}
		in.IncludeInForecast = &f
	}
	return in
}

// recordStageMove keeps a stage change as v2's OpportunityStageMove.
func (d *db) recordStageMove(old, updated object) {
	from, _ := old.sub("stage").int("id")
	to, _ := updated.sub("stage").int("id")
	if from == to {
		return
	}
	move := object{"opportunity_id": num(updated.id()), "move_time": d.stamp(), "move_from_stage_id": num(from), "move_to_stage_id": num(to)}
	if u, ok := updated.sub("user").int("id"); ok {
		move["user_id"] = num(u)
	}
	d.stageMoves.insert(move) // at idCeiling moves stop being kept; the edit itself stands
}

func stageMove2(m object) object {
	out := object{"id": idString(m["id"]), "move_time": m.str("move_time"), "create_time": m.str("move_time")}
	for _, k := range []string{"opportunity_id", "move_from_stage_id", "move_to_stage_id", "user_id"} {
		setID(out, k, m[k])
	}
	return out
}

var stageMoveListing2 = &v2Listing{
	key: "stage_moves",
	filters: map[string]v2Filter{
		"opportunity_id": {fSet, nil},
		"since_time":     {fSince, func(o object) []string { return valuesOf(o["move_time"]) }},
		"until_time":     {fUntil, func(o object) []string { return valuesOf(o["move_time"]) }},
	},
	orders: orderBy("id", "move_time", "opportunity_id"),
}
