package trigger

import (
	"context"
	"fmt"
	"time"
)

// kind is one Keap resource as trigger uses it: where it lives, how to make one, how to
// change one.
type kind struct {
	path string // "/v1/contacts"; one object is at path/{id}
	// body is what creates one; it may make what the object needs first.
	body func(ctx context.Context, a *actor) (any, error)
	// edit is the PATCH body of an edit.
	edit any
}

// item is the path of one object, with %d for its id.
func (k *kind) item() string { return k.path + "/%d" }

func (k *kind) create(ctx context.Context, a *actor) (int64, error) {
	body, err := k.body(ctx, a)
	if err != nil {
		return 0, err
	}
	return a.api.create(ctx, k.path, body)
}

// existingOrNew returns n objects of the kind: those the mock lists first, topped up with
// new ones.
func (k *kind) existingOrNew(ctx context.Context, a *actor, n int) ([]int64, error) {
	ids, err := a.existing(ctx, k.path, n)
	if err != nil {
		return nil, err
	}
	return a.upTo(ctx, n, ids, func(ctx context.Context) (int64, error) { return k.create(ctx, a) })
}

const edited = "Edited by keaphook trigger"

var (
	contactKind = &kind{path: "/v1/contacts",
		body: func(_ context.Context, a *actor) (any, error) { return a.contactBody(), nil },
		edit: map[string]any{"job_title": edited}}
	companyKind = &kind{path: "/v1/companies",
		body: func(_ context.Context, a *actor) (any, error) {
			return map[string]any{"company_name": fmt.Sprintf("Trigger Company %s-%d", a.uniq, a.next())}, nil
		},
		edit: map[string]any{"notes": edited}}
	tagKind = &kind{path: "/v1/tags",
		body: func(_ context.Context, a *actor) (any, error) {
			return map[string]any{"name": fmt.Sprintf("Trigger tag %s-%d", a.uniq, a.next()), "description": "Made by keaphook trigger"}, nil
		}}
	noteKind = &kind{path: "/v1/notes",
		body: func(ctx context.Context, a *actor) (any, error) {
			c, err := a.someContact(ctx)
			return map[string]any{"contact_id": c, "title": "Call", "body": "Talked through the proposal.", "type": "Call"}, err
		},
		edit: map[string]any{"body": edited}}
	taskKind = &kind{path: "/v1/tasks",
		body: func(ctx context.Context, a *actor) (any, error) {
			c, err := a.someContact(ctx)
			return map[string]any{"title": "Send the proposal", "due_date": a.stamp(48 * time.Hour), "contact": map[string]any{"id": c}}, err
		},
		edit: map[string]any{"completed": true}}
	appointmentKind = &kind{path: "/v1/appointments",
		body: func(ctx context.Context, a *actor) (any, error) {
			c, err := a.someContact(ctx)
			return map[string]any{"title": "Discovery call", "contact_id": c,
				"start_date": a.stamp(72 * time.Hour), "end_date": a.stamp(72*time.Hour + 30*time.Minute)}, err
		},
		edit: map[string]any{"location": "Zoom"}}
	productKind = &kind{path: "/v1/products",
		body: func(_ context.Context, a *actor) (any, error) { return a.productBody(), nil },
		edit: map[string]any{"product_short_desc": edited}}
	opportunityKind = &kind{path: "/v1/opportunities",
		body: func(ctx context.Context, a *actor) (any, error) {
			c, err := a.someContact(ctx)
			if err != nil {
				return nil, err
			}
			stages, err := a.pipeline(ctx)
			return map[string]any{"opportunity_title": fmt.Sprintf("Trigger deal %s-%d", a.uniq, a.next()),
				"contact": map[string]any{"id": c}, "stage": map[string]any{"id": firstOr(stages)}}, err
		},
		edit: map[string]any{"next_action_notes": edited}}
	orderKind = &kind{path: "/v1/orders",
		body: func(ctx context.Context, a *actor) (any, error) {
			c, err := a.someContact(ctx)
			if err != nil {
				return nil, err
			}
			p, err := a.someProduct(ctx)
			return map[string]any{"contact_id": c, "order_date": a.stamp(0), "order_type": "Offline",
				"order_title": fmt.Sprintf("Trigger order %s-%d", a.uniq, a.next()),
				"order_items": []any{map[string]any{"product_id": p, "quantity": 1, "price": "100.00"}}}, err
		}}
	subscriptionKind = &kind{path: "/v1/subscriptions",
		body: func(ctx context.Context, a *actor) (any, error) {
			c, err := a.someContact(ctx)
			if err != nil {
				return nil, err
			}
			plan, err := a.somePlan(ctx)
			body := map[string]any{"contact_id": c, "allow_duplicate": true}
			if plan != 0 {
				body["subscription_plan_id"] = plan
			} else {
				body["billing_amount"] = 49.0
			}
			return body, err
		}}
	userKind = &kind{path: "/v1/users",
		body: func(_ context.Context, a *actor) (any, error) {
			n := a.next()
			return map[string]any{"given_name": "Trigger", "email": fmt.Sprintf("trigger-%s-%d@example.com", a.uniq, n)}, nil
		}}
)

func firstOr(ids []int64) int64 {
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

func (a *actor) contactBody() map[string]any {
	n := a.next()
	return map[string]any{
		"given_name": "Trigger", "family_name": fmt.Sprintf("Contact %s-%d", a.uniq, n),
		"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": fmt.Sprintf("trigger-%s-%d@example.com", a.uniq, n)}},
		"phone_numbers":   []any{map[string]any{"field": "PHONE1", "number": fmt.Sprintf("555-01%02d", n%100)}},
	}
}

func (a *actor) productBody() map[string]any {
	return map[string]any{"product_name": fmt.Sprintf("Trigger product %s-%d", a.uniq, a.next()), "product_price": 100.0}
}
