package resources

import (
	"net/http"
	"slices"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// The sales pipeline's stages through v2: the stages v1's stage_pipeline lists and
// opportunities sit in. Keap has no event for a stage, so these writes emit nothing.

func (s *Store) stageRoutes2() []Route {
	return []Route{
		{http.MethodGet, "/opportunities/stages", s.v2List(stageListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.stages, d.stage2), nil
		})},
		{http.MethodPost, "/opportunities/stages", s.writeStage2(creating)},
		{http.MethodGet, "/opportunities/stages/{stage_id}", s.getStage2},
		{http.MethodPatch, "/opportunities/stages/{stage_id}", s.writeStage2(patching)},
		{http.MethodDelete, "/opportunities/stages/{stage_id}", s.deleteStage2},
	}
}

// stage2 is a pipeline stage as v2's RestOpportunityStage.
func (d *db) stage2(st object) object {
	id, _ := st.int("stage_id")
	out := object{"id": idString(id), "name": st.str("stage_name"), "checklist_items": []any{}}
	copyAs(st, out, "stage_order", "order")
	details := d.stageDetails[id]
	copyAs(details, out, "probability", "probability")
	copyAs(details, out, "target_num_days", "target_number_days")
	return out
}

var stageListing2 = &v2Listing{
	key:     "stages",
	filters: map[string]v2Filter{"name": {kind: fText}},
	orders:  orderBy("order", "name"),
}

func (s *Store) getStage2(w http.ResponseWriter, r *http.Request) {
	id, err := v2ID(r, "stage_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.read(w, r, func(d *db) (any, error) {
		st, err := d.findStage(id)
		if err != nil {
			return nil, err
		}
		return d.stage2(st), nil
	})
}

func (d *db) findStage(id int64) (object, error) {
	if st, ok := d.stage(id); ok {
		return st, nil
	}
	return nil, httpapi.Errorf(http.StatusNotFound, "opportunity stage %d not found: GET /crm/rest/v2/opportunities/stages lists the pipeline", id)
}

// stageBody2 is v2's CreateOpportunityStageRequest and UpdateOpportunityStageRequest;
// checklist_items is accepted, not kept.
type stageBody2 struct {
	ChecklistItems   *[]object `json:"checklist_items,omitempty"`
	Name             *string   `json:"name,omitempty"`
	Order            *int32    `json:"order,omitempty"`
	Probability      *int32    `json:"probability,omitempty"`
	TargetNumberDays *int32    `json:"target_number_days,omitempty"`
}

func (b *stageBody2) check(m mode) error {
	var c check
	if m == creating {
		c.requiredString("name", b.Name)
		c.required("order", b.Order != nil)
		c.required("probability", b.Probability != nil)
		c.required("target_number_days", b.TargetNumberDays != nil)
	}
	if b.Probability != nil && (*b.Probability < 0 || *b.Probability > 100) {
		c.bad("probability must be from 0 to 100, got %d", *b.Probability)
	}
	if b.TargetNumberDays != nil && *b.TargetNumberDays < 0 {
		c.bad("target_number_days must not be negative, got %d", *b.TargetNumberDays)
	}
	return c.err()
}

func (s *Store) writeStage2(m mode) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var id int64
		var err error
		if m == patching {
			if id, err = v2ID(r, "stage_id"); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		var b stageBody2
		if err := s.decode(w, r, &b); err != nil {
			s.fail(w, r, err)
			return
		}
		if mask, err := parseMask("update_mask", r.URL.Query()["update_mask"], []string{"name", "order", "probability", "target_number_days", "checklist_items"}); err != nil {
			s.fail(w, r, err)
			return
		} else if mask != nil {
			b = stageBody2{Name: pick(mask, "name", b.Name), Order: pick(mask, "order", b.Order),
				Probability: pick(mask, "probability", b.Probability), TargetNumberDays: pick(mask, "target_number_days", b.TargetNumberDays)}
		}
		if err := b.check(m); err != nil {
			s.fail(w, r, err)
			return
		}
		s.exec(w, r, func(d *db) (reply, error) {
			st, status := object{"end_stage": false, "is_default": false}, http.StatusCreated
			if m == patching {
				if st, err = d.findStage(id); err != nil {
					return reply{}, err
				}
				status = http.StatusOK
			} else {
				id = d.nextStageID()
				st["stage_id"] = num(id)
				d.stages = append(d.stages, st)
			}
			d.setStage(st, id, &b)
			return reply{status: status, body: d.stage2(st)}, nil
		})
	}
}

func (d *db) nextStageID() int64 {
	next := int64(1)
	for _, st := range d.stages {
		if id, _ := st.int("stage_id"); id >= next {
			next = id + 1
		}
	}
	return next
}

// setStage writes a body's values where v1 reads them too: the stage's name and order in the
// pipeline, its probability and target days in the details opportunities embed.
func (d *db) setStage(st object, id int64, b *stageBody2) {
	if b.Name != nil {
		st["stage_name"] = strings.TrimSpace(*b.Name)
	}
	if b.Order != nil {
		st["stage_order"] = num(int64(*b.Order))
	}
	details := d.stageDetails[id]
	if details == nil {
		details = object{"check_list_items": []any{}}
		d.stageDetails[id] = details
	}
	if b.Order != nil {
		details["stage_order"] = num(int64(*b.Order))
	}
	if b.Probability != nil {
		details["probability"] = num(int64(*b.Probability))
	}
	if b.TargetNumberDays != nil {
		details["target_num_days"] = num(int64(*b.TargetNumberDays))
	}
	slices.SortStableFunc(d.stages, func(a, b object) int {
		x, _ := a.int("stage_order")
		y, _ := b.int("stage_order")
		return int(x - y)
	})
}

// deleteStage2 refuses a stage an opportunity sits in (409).
func (s *Store) deleteStage2(w http.ResponseWriter, r *http.Request) {
	id, err := v2ID(r, "stage_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		if _, err := d.findStage(id); err != nil {
			return reply{}, err
		}
		for _, o := range d.opportunities.all() {
			if have, _ := o.sub("stage").int("id"); have == id {
				return reply{}, httpapi.Errorf(http.StatusConflict, "opportunity %d sits in stage %d; move it to another stage first", o.id(), id)
			}
		}
		d.stages = slices.DeleteFunc(d.stages, func(st object) bool { have, _ := st.int("stage_id"); return have == id })
		delete(d.stageDetails, id)
		return reply{status: http.StatusNoContent}, nil
	})
}
