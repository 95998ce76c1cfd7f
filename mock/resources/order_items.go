package resources

import (
	"net/http"
	"slices"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// The items of an existing order: adding or removing one changes the order's total and
// what is due, and is an edit of the order (order.edit and invoice.edit, as a payment is).

func (s *Store) orderItemRoutes() []Route {
	return []Route{
		{http.MethodPost, "/orders/{orderId}/items", s.addOrderItem},
		{http.MethodDelete, "/orders/{orderId}/items/{orderItemId}", s.removeOrderItem},
	}
}

func (s *Store) addOrderItem(w http.ResponseWriter, r *http.Request) {
	orderID, err := pathID(r, "orderId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in orderItemInput
	if err := s.decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	var c check
	in.check(&c, "item")
	if err := c.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		order, err := d.orders.find(orderID)
		if err != nil {
			return reply{}, err
		}
		if len(order.list("order_items")) >= maxOrderItems {
			return reply{}, httpapi.Errorf(http.StatusBadRequest, "order %d holds %d items already; at most %d", orderID, maxOrderItems, maxOrderItems)
		}
		items, added, err := d.orderItems([]orderItemInput{in})
		if err != nil {
			return reply{}, err
		}
		order["order_items"] = append(slices.Clone(asList(order["order_items"])), items...)
		d.retotal(order, added)
		item := items[0].(object)
		return reply{http.StatusCreated, item.clone(), orderEdited(orderID)}, nil
	})
}

func (s *Store) removeOrderItem(w http.ResponseWriter, r *http.Request) {
	orderID, err := pathID(r, "orderId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	itemID, err := pathID(r, "orderItemId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		order, err := d.orders.find(orderID)
		if err != nil {
			return reply{}, err
		}
		items := asList(order["order_items"])
		i := slices.IndexFunc(items, func(x any) bool { return asObject(x).id() == itemID })
		if i < 0 {
			return reply{}, httpapi.Errorf(http.StatusNotFound, "order %d has no item %d", orderID, itemID)
		}
		gone := asObject(items[i])
		order["order_items"] = slices.Delete(slices.Clone(items), i, i+1)
		d.retotal(order, -centsOf(gone, "price")*quantityOf(gone))
		return reply{status: http.StatusNoContent, events: orderEdited(orderID)}, nil
	})
}

// retotal moves an order's total and what is due by delta cents, and its status with them.
func (d *db) retotal(order object, delta int64) {
	total := centsOf(order, "total") + delta
	due := total - centsOf(order, "total_paid")
	order["total"], order["total_due"], order["modification_date"] = fromCents(total), fromCents(due), d.stamp()
	if due > 0 {
		order["status"], order["allow_payment"] = "UNPAID", true
	} else {
		order["status"], order["allow_payment"] = "PAID", false
	}
}

func quantityOf(item object) int64 {
	q, _ := item.int("quantity")
	return q
}

// orderEdited is what any edit of an order emits, through v1 or v2: order.edit and invoice.edit.
func orderEdited(id int64) []event {
	return append(emitted("order.edit", id), emitted("invoice.edit", id)...)
}

func asObject(v any) object {
	switch o := v.(type) {
	case object:
		return o
	case map[string]any:
		return object(o)
	}
	return nil
}
