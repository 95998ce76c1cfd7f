package trigger

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// action makes one event key happen n times and returns the ids the event carries.
type action func(ctx context.Context, a *actor, n int) ([]int64, error)

// actions says, for every event key of Keap's list, what a user would do in Keap to cause
// it, done through the mock's Keap API. Keys Keap's v1 API cannot cause (see
// resources.WritePath) go through POST /_mock/events: with the ids of real objects where
// the event is about one that still exists, with ids the mock invents where it was deleted.
func actions() map[string]action {
	return map[string]action{
		"appointment.add": creates(appointmentKind), "appointment.edit": edits(appointmentKind), "appointment.delete": deletes(appointmentKind),
		"company.add": creates(companyKind), "company.edit": edits(companyKind), "company.delete": invented("company.delete"),
		"contact.add": creates(contactKind), "contact.edit": edits(contactKind), "contact.delete": deletes(contactKind),
		"contact.redact":       about("contact.redact", contactKind),
		"contactGroup.add":     creates(tagKind),
		"contactGroup.applied": applyTags,
		"contactGroup.removed": removeTags,
		"contactGroup.edit":    about("contactGroup.edit", tagKind),
		"contactGroup.delete":  invented("contactGroup.delete"),
		"invoice.add":          creates(orderKind), "invoice.edit": payOrders(false), "invoice.delete": deletes(orderKind),
		"invoice.payment.add":    payOrders(true),
		"invoice.payment.edit":   editPayments,
		"invoice.payment.delete": invented("invoice.payment.delete"),
		"leadsource.add":         invented("leadsource.add"), "leadsource.edit": invented("leadsource.edit"), "leadsource.delete": invented("leadsource.delete"),
		"note.add": creates(noteKind), "note.edit": edits(noteKind), "note.delete": deletes(noteKind),
		"opportunity.add": creates(opportunityKind), "opportunity.edit": edits(opportunityKind),
		"opportunity.stage_move": moveStages, "opportunity.delete": invented("opportunity.delete"),
		"order.add": creates(orderKind), "order.edit": payOrders(false), "order.delete": deletes(orderKind),
		"product.add": creates(productKind), "product.edit": edits(productKind), "product.delete": deletes(productKind),
		"subscription.add": creates(subscriptionKind), "subscription.edit": about("subscription.edit", subscriptionKind),
		"subscription.delete": invented("subscription.delete"),
		"task.add":            creates(taskKind), "task.edit": edits(taskKind), "task.delete": deletes(taskKind),
		"user.add": creates(userKind), "user.edit": about("user.edit", userKind), "user.activate": about("user.activate", userKind),
	}
}

// creates makes n new objects: the write itself is the event.
func creates(k *kind) action {
	return func(ctx context.Context, a *actor, n int) ([]int64, error) {
		return a.times(ctx, n, func(ctx context.Context) (int64, error) { return k.create(ctx, a) })
	}
}

// edits changes n objects, existing ones first.
func edits(k *kind) action {
	return func(ctx context.Context, a *actor, n int) ([]int64, error) {
		ids, err := k.existingOrNew(ctx, a, n)
		if err != nil {
			return nil, err
		}
		return ids, a.each(ctx, ids, http.MethodPatch, k.item(), k.edit)
	}
}

// deletes makes n objects and deletes them, so no one's data is lost.
func deletes(k *kind) action {
	return func(ctx context.Context, a *actor, n int) ([]int64, error) {
		ids, err := creates(k)(ctx, a, n)
		if err != nil {
			return nil, err
		}
		return ids, a.each(ctx, ids, http.MethodDelete, k.item(), nil)
	}
}

// about emits key through the mock for n real objects of k: v1 cannot cause it, but the
// object it is about exists.
func about(key string, k *kind) action {
	return func(ctx context.Context, a *actor, n int) ([]int64, error) {
		ids, err := k.existingOrNew(ctx, a, n)
		if err != nil {
			return nil, err
		}
		return a.emitEvent(ctx, key, ids, 0)
	}
}

// invented emits key through the mock with n ids it invents: the object is gone (a delete
// v1 cannot do) or is of a kind v1 has no resource for (lead sources).
func invented(key string) action {
	return func(ctx context.Context, a *actor, n int) ([]int64, error) {
		return a.emitEvent(ctx, key, nil, n)
	}
}

// freshTags makes a contact and n tags for it.
func freshTags(ctx context.Context, a *actor, n int) (int64, []int64, error) {
	contact, err := contactKind.create(ctx, a)
	if err != nil {
		return 0, nil, err
	}
	tags, err := creates(tagKind)(ctx, a, n)
	return contact, tags, err
}

// applyTags applies n new tags to a new contact; the event's ids are the tags'.
func applyTags(ctx context.Context, a *actor, n int) ([]int64, error) {
	contact, tags, err := freshTags(ctx, a, n)
	if err != nil {
		return nil, err
	}
	return tags, a.api.write(ctx, http.MethodPost, fmt.Sprintf("/v1/contacts/%d/tags", contact), map[string]any{"tagIds": tags}, nil)
}

// removeTags applies n new tags to a new contact, then removes them.
func removeTags(ctx context.Context, a *actor, n int) ([]int64, error) {
	contact, tags, err := freshTags(ctx, a, n)
	if err != nil {
		return nil, err
	}
	path := fmt.Sprintf("/v1/contacts/%d/tags", contact)
	if err := a.api.write(ctx, http.MethodPost, path, map[string]any{"tagIds": tags}, nil); err != nil {
		return nil, err
	}
	list := make([]string, len(tags))
	for i, t := range tags {
		list[i] = fmt.Sprint(t)
	}
	return tags, a.api.write(ctx, http.MethodDelete, path+"?ids="+strings.Join(list, ","), nil, nil)
}

// payOrders makes n new orders and pays part of each, which edits the order (its totals):
// the ids are the orders', or the payments' transactions when transactions is set.
func payOrders(transactions bool) action {
	return func(ctx context.Context, a *actor, n int) ([]int64, error) {
		orders, err := creates(orderKind)(ctx, a, n)
		if err != nil {
			return nil, err
		}
		var txs []int64
		for _, id := range orders {
			var out struct {
				TransactionID int64 `json:"transaction_id"`
			}
			body := map[string]any{"payment_amount": "40.00", "payment_method_type": "CASH", "notes": "Paid by keaphook trigger"}
			if err := a.api.write(ctx, http.MethodPost, fmt.Sprintf("/v1/orders/%d/payments", id), body, &out); err != nil {
				return nil, err
			}
			txs = append(txs, out.TransactionID)
		}
		if transactions {
			return txs, nil
		}
		return orders, nil
	}
}

// editPayments emits invoice.payment.edit for n existing payments (transactions), paying
// new orders first when there are too few.
func editPayments(ctx context.Context, a *actor, n int) ([]int64, error) {
	ids, err := a.existing(ctx, "/v1/transactions", n)
	if err != nil {
		return nil, err
	}
	if len(ids) < n {
		more, err := payOrders(true)(ctx, a, n-len(ids))
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	return a.emitEvent(ctx, "invoice.payment.edit", ids, 0)
}

// moveStages moves n opportunities, existing ones first, one stage on (the last stage
// wraps to the first).
func moveStages(ctx context.Context, a *actor, n int) ([]int64, error) {
	ids, err := opportunityKind.existingOrNew(ctx, a, n)
	if err != nil {
		return nil, err
	}
	stages, err := a.pipeline(ctx)
	if err != nil {
		return nil, err
	}
	if len(stages) < 2 {
		return nil, fmt.Errorf("the mock's pipeline has one stage: there is nowhere to move an opportunity to")
	}
	for _, id := range ids {
		var o struct {
			Stage struct {
				ID int64 `json:"id"`
			} `json:"stage"`
		}
		if err := a.api.get(ctx, fmt.Sprintf("/v1/opportunities/%d", id), &o); err != nil {
			return nil, err
		}
		body := map[string]any{"stage": map[string]any{"id": nextStage(stages, o.Stage.ID)}}
		if err := a.api.write(ctx, http.MethodPatch, fmt.Sprintf("/v1/opportunities/%d", id), body, nil); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func nextStage(stages []int64, current int64) int64 {
	for i, s := range stages {
		if s == current {
			return stages[(i+1)%len(stages)]
		}
	}
	return stages[0]
}
