package resources

import (
	"net/http"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// Moving an opportunity to another stage is an edit and a stage move: a PATCH or PUT that
// changes stage.id emits opportunity.edit and opportunity.stage_move, so a receiver
// subscribed to either hears of it. Any other edit emits opportunity.edit alone.

func (s *Store) opportunityKind() *kind {
	return &kind{
		event: "opportunity", idVar: "opportunityId", createdStatus: http.StatusOK, // Keap documents 200
		table:      func(d *db) *table { return d.opportunities },
		newInput:   func() input { return &opportunityInput{} },
		apply:      applyOpportunity,
		render:     renderOpportunity,
		moreEvents: stageMoves,
		edited:     (*db).recordStageMove,
	}
}

func applyOpportunity(d *db, old object, raw input, m mode) (object, error) {
	in := *raw.(*opportunityInput)
	if err := d.opportunityRefs(&in); err != nil {
		return nil, err
	}
	now := d.stamp()
	o := object{"date_created": now, "custom_fields": []any{}}
	if old != nil && m == patching {
		o = old
	} else if old != nil {
		keep(old, o, "date_created")
	}
	contact, stage, user := in.Contact, in.Stage, in.User
	in.Contact, in.Stage, in.User, in.ID, in.DateCreated, in.LastUpdated = nil, nil, nil, nil, nil, nil
	f := fieldsOf(&in)
	for _, k := range []string{"projected_revenue_high", "projected_revenue_low"} {
		if v, ok := f[k]; ok {
			f[k] = money(object{k: v}.float(k))
		}
	}
	for _, k := range []string{"estimated_close_date", "next_action_date"} {
		if v := f.str(k); v != "" {
			f[k] = stampOf(v)
		}
	}
	o.merge(f)
	if contact != nil {
		o["contact"] = object{"id": num(*contact.ID)}
	}
	if stage != nil {
		o["stage"] = object{"id": num(*stage.ID)}
	}
	if user != nil {
		o["user"] = object{"id": num(*user.ID)}
	}
	o["last_updated"] = now
	return o, nil
}

func (d *db) opportunityRefs(in *opportunityInput) error {
	if in.Contact != nil {
		if err := ref("contact.id", d.contacts, in.Contact.ID); err != nil {
			return err
		}
	}
	if in.User != nil {
		if err := ref("user.id", d.users, in.User.ID); err != nil {
			return err
		}
	}
	if in.Stage != nil {
		if _, ok := d.stage(*in.Stage.ID); !ok {
			return refError("stage.id", "pipeline stage (GET /v1/opportunity/stage_pipeline lists them)", *in.Stage.ID)
		}
	}
	return nil
}

// renderOpportunity fills the contact, user and stage from the objects as they are now.
func renderOpportunity(d *db, o object) object {
	out := o.clone()
	if id, ok := o.sub("contact").int("id"); ok {
		if c, ok := d.contacts.get(id); ok {
			out["contact"] = opportunityContactOf(d, c)
		}
	}
	if id, ok := o.sub("user").int("id"); ok {
		if u, ok := d.users.get(id); ok {
			ref := object{"id": num(id)}
			setIf(ref, "first_name", u.str("given_name"))
			setIf(ref, "last_name", u.str("family_name"))
			out["user"] = ref
		}
	}
	if id, ok := o.sub("stage").int("id"); ok {
		out["stage"] = d.stageRef(id)
	}
	return out
}

// opportunityContactOf is Keap's OpportunityContact for a contact.
func opportunityContactOf(d *db, c object) object {
	out := basicContact(c)
	setIf(out, "job_title", c.str("job_title"))
	setIf(out, "company_name", d.renderContact(c).str("company_name"))
	for _, p := range c.list("phone_numbers") {
		if p.str("field") == "PHONE1" {
			setIf(out, "phone_number", p.str("number"))
		}
	}
	return out
}

// stageMoves is the extra event of an edit that changed the stage.
func stageMoves(old, updated object) []event {
	before, _ := old.sub("stage").int("id")
	after, _ := updated.sub("stage").int("id")
	if before == after {
		return nil
	}
	return emitted("opportunity.stage_move", updated.id())
}

func (s *Store) opportunityRoutes() []Route {
	k := s.opportunityKind()
	return []Route{
		{http.MethodGet, "/opportunities", s.listOpportunities},
		{http.MethodPost, "/opportunities", s.create(k)},
		{http.MethodPut, "/opportunities", s.replaceOpportunity(k)},
		{http.MethodGet, "/opportunities/{opportunityId}", s.get(k)},
		{http.MethodPatch, "/opportunities/{opportunityId}", s.update(k, patching)},
		{http.MethodGet, "/opportunity/stage_pipeline", s.getPipeline},
	}
}

// replaceOpportunity is PUT /opportunities: the body names the opportunity by its id.
func (s *Store) replaceOpportunity(k *kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in opportunityInput
		if err := s.body(w, r, &in, replacing); err != nil {
			s.fail(w, r, err)
			return
		}
		if in.ID == nil || *in.ID <= 0 {
			s.fail(w, r, httpapi.Errorf(http.StatusBadRequest, "%s: id is required: the opportunity to replace", httpapi.KeapMalformed))
			return
		}
		s.exec(w, r, func(d *db) (reply, error) {
			o, events, err := k.edit(d, *in.ID, &in, replacing)
			if err != nil {
				return reply{}, err
			}
			return reply{http.StatusOK, k.show(d, o), events}, nil
		})
	}
}
