package trigger

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// actor makes things happen on the mock for trigger: it creates what an event needs,
// reusing what it made earlier in the same run (one contact serves every note).
type actor struct {
	api  *mockAPI
	now  func() time.Time
	uniq string // makes names and emails of this run unique across runs
	seq  int

	contact, product int64
	stages           []int64
}

// next numbers the objects one run creates.
func (a *actor) next() int {
	a.seq++
	return a.seq
}

func (a *actor) stamp(after time.Duration) string {
	return a.now().Add(after).UTC().Format("2006-01-02T15:04:05.000Z")
}

// existing returns the ids of up to n objects listed at path; Keap's list body holds them
// under the path's last segment ("contacts" for /v1/contacts). It keeps to n even when the
// server lists more than the limit asked for: callers top up the rest with new objects, and
// a negative rest would be a crash.
func (a *actor) existing(ctx context.Context, path string, n int) ([]int64, error) {
	key := path[strings.LastIndexByte(path, '/')+1:]
	var page map[string]json.RawMessage
	if err := a.api.get(ctx, fmt.Sprintf("%s?limit=%d", path, n), &page); err != nil {
		return nil, err
	}
	var items []struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(page[key], &items); err != nil {
		return nil, fmt.Errorf("GET %s: no %q list in the answer", path, key)
	}
	var ids []int64
	for _, it := range items[:min(n, len(items))] {
		ids = append(ids, it.ID)
	}
	return ids, nil
}

// someContact is a contact to hang notes, tasks and orders on: the first one the mock lists,
// or a new one.
func (a *actor) someContact(ctx context.Context) (int64, error) {
	return a.first(ctx, contactKind, &a.contact)
}

// someProduct is a product to order: the first one the mock lists, or a new one.
func (a *actor) someProduct(ctx context.Context) (int64, error) {
	return a.first(ctx, productKind, &a.product)
}

// first returns *cache, or else finds one object of k (listed or new) and keeps it in *cache
// for the rest of the run.
func (a *actor) first(ctx context.Context, k *kind, cache *int64) (int64, error) {
	if *cache == 0 {
		ids, err := k.existingOrNew(ctx, a, 1)
		if err != nil {
			return 0, err
		}
		*cache = ids[0]
	}
	return *cache, nil
}

// pipeline returns the ids of the pipeline's stages, in order.
func (a *actor) pipeline(ctx context.Context) ([]int64, error) {
	if a.stages != nil {
		return a.stages, nil
	}
	var stages []struct {
		ID int64 `json:"stage_id"`
	}
	if err := a.api.get(ctx, "/v1/opportunity/stage_pipeline", &stages); err != nil {
		return nil, err
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("the mock's pipeline has no stages, so no opportunity can be made")
	}
	for _, st := range stages {
		a.stages = append(a.stages, st.ID)
	}
	return a.stages, nil
}

// somePlan is a product's subscription plan, or 0 when no product has one.
func (a *actor) somePlan(ctx context.Context) (int64, error) {
	var page struct {
		Products []struct {
			Plans []struct {
				ID int64 `json:"id"`
			} `json:"subscription_plans"`
		} `json:"products"`
	}
	if err := a.api.get(ctx, "/v1/products?limit=1000", &page); err != nil {
		return 0, err
	}
	for _, p := range page.Products {
		if len(p.Plans) > 0 {
			return p.Plans[0].ID, nil
		}
	}
	return 0, nil
}

// each runs one write per id, with the path formatted from the id.
func (a *actor) each(ctx context.Context, ids []int64, method, pathf string, body any) error {
	for _, id := range ids {
		if err := a.api.write(ctx, method, fmt.Sprintf(pathf, id), body, nil); err != nil {
			return err
		}
	}
	return nil
}

// times creates n objects and returns their ids.
func (a *actor) times(ctx context.Context, n int, create func(ctx context.Context) (int64, error)) ([]int64, error) {
	ids := make([]int64, 0, n)
	for range n {
		id, err := create(ctx)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// upTo tops up the ids of existing objects with new ones until there are n.
func (a *actor) upTo(ctx context.Context, n int, ids []int64, create func(ctx context.Context) (int64, error)) ([]int64, error) {
	more, err := a.times(ctx, n-len(ids), create)
	return append(ids, more...), err
}

// emitEvent makes an event through the mock's POST /_mock/events: with the ids given, or
// with count ids the mock invents (ids no stored object has, as after a delete).
func (a *actor) emitEvent(ctx context.Context, key string, ids []int64, count int) ([]int64, error) {
	body := map[string]any{"eventKey": key}
	if ids != nil {
		body["ids"] = ids
	} else {
		body["count"] = count
	}
	var out struct {
		IDs []int64 `json:"ids"`
	}
	if err := a.api.write(ctx, http.MethodPost, "/_mock/events", body, &out); err != nil {
		return nil, err
	}
	return out.IDs, nil
}
