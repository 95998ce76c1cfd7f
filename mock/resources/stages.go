package resources

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/keaphook/keaphook/fixtures"
)

// defaultStages is the pipeline a Keap account starts with: the seed's stages, which are
// Keap's defaults (is_default), a fresh copy for each store. The fixtures are embedded and
// checked by their own tests, so a failure here means no stages, and creating an
// opportunity then says so.
func defaultStages() []object {
	stages := embeddedStages()
	out := make([]object, len(stages))
	for i, st := range stages {
		out[i] = st.clone()
	}
	return out
}

// embeddedStages decodes the seed once per process: fixtures.Seed reads every seed file,
// and New and Reset want only the pipeline.
var embeddedStages = sync.OnceValue(func() []object {
	seed, err := fixtures.Seed()
	if err != nil {
		return nil
	}
	stages, err := parseStages(seed.Pipeline)
	if err != nil {
		return nil
	}
	return stages
})

func parseStages(raw json.RawMessage) ([]object, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, err
	}
	out := make([]object, 0, len(items))
	for _, it := range items {
		o, err := decodeObject(it)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// stage finds a pipeline stage by id.
func (d *db) stage(id int64) (object, bool) {
	for _, st := range d.stages {
		if sid, _ := st.int("stage_id"); sid == id {
			return st, true
		}
	}
	return nil, false
}

// stageRef is an opportunity's stage as Keap embeds it (SimpleOpportunityStage), with the
// details learnt from the seed's opportunities where there are any.
func (d *db) stageRef(id int64) object {
	st, _ := d.stage(id)
	details := object{"check_list_items": []any{}}
	if order, ok := st.int("stage_order"); ok {
		details["stage_order"] = num(order)
	}
	if known, ok := d.stageDetails[id]; ok {
		details = known.clone()
	}
	return object{"id": num(id), "name": st.str("stage_name"), "details": details, "reasons": []any{}}
}

// pipeline is GET /opportunity/stage_pipeline: the stages with how many opportunities sit in
// each now.
func (d *db) pipeline() []object {
	counts := map[int64]int64{}
	for _, o := range d.opportunities.all() {
		if id, ok := o.sub("stage").int("id"); ok {
			counts[id]++
		}
	}
	out := make([]object, len(d.stages))
	for i, st := range d.stages {
		c := st.clone()
		id, _ := st.int("stage_id")
		c["stage_count"] = num(counts[id])
		out[i] = c
	}
	return out
}

func (s *Store) getPipeline(w http.ResponseWriter, r *http.Request) {
	s.read(w, r, func(d *db) (any, error) { return d.pipeline(), nil })
}
