package resources

import (
	"net/http"
	"slices"
)

// listOrders is GET /orders: filters contact_id, paid, product_id, since and until (on the
// order date). Keap lists the most recent first, by creation date unless order says
// order_date or update_date.
func (s *Store) listOrders(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	contact, byContact := q.int("contact_id")
	paid, byPaid := q.boolean("paid")
	product, byProduct := q.int("product_id")
	ordered := q.dateRange()
	order := q.oneOf("order", "order_date", "update_date")
	s.listed(w, r, q, "orders", func(d *db) ([]object, error) {
		var items []object
		for _, o := range d.orders.all() {
			if !intFilter(o.sub("contact"), "id", contact, byContact) || byPaid && (o.str("status") == "PAID") != paid ||
				byProduct && !hasProduct(o, product) || ordered.excludes(o.str("order_date")) {
				continue
			}
			items = append(items, d.renderOrder(o))
		}
		key := map[string]string{"order_date": "order_date", "update_date": "modification_date"}[order]
		if key == "" {
			key = "creation_date"
		}
		sortObjects(items, func(o object) string { return o.str(key) }, true)
		return items, nil
	})
}

func hasProduct(o object, product int64) bool {
	return slices.ContainsFunc(o.list("order_items"), func(it object) bool { return it.sub("product").id() == product })
}
