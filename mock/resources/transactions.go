package resources

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// renderTransaction is Keap's EcommerceReportingTransaction: the orders it paid are added
// as they are now (an order deleted since is left out; its id stays in order_ids).
func (d *db) renderTransaction(tx object) object {
	out := tx.clone()
	var orders []any
	for part := range strings.SplitSeq(tx.str("order_ids"), ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil {
			continue
		}
		if o, ok := d.orders.get(id); ok {
			orders = append(orders, d.renderOrder(o))
		}
	}
	if orders != nil {
		out["orders"] = orders
	}
	return out
}

// listTransactions is GET /transactions: filters contact_id, since and until (on the
// transaction date).
func (s *Store) listTransactions(w http.ResponseWriter, r *http.Request) {
	s.transactionList(w, r, 0)
}

// listOrderTransactions is GET /orders/{orderId}/transactions, with the same filters.
func (s *Store) listOrderTransactions(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "orderId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.transactionList(w, r, id)
}

// transactionList lists transactions, only those that paid order when it is not zero.
func (s *Store) transactionList(w http.ResponseWriter, r *http.Request, order int64) {
	q := newListQuery(r)
	contact, byContact := q.int("contact_id")
	paid := q.dateRange()
	s.listed(w, r, q, "transactions", func(d *db) ([]object, error) {
		if order != 0 {
			if _, err := d.orders.find(order); err != nil {
				return nil, err
			}
		}
		var items []object
		for _, tx := range d.transactions.all() {
			if order != 0 && !slices.Contains(strings.Split(tx.str("order_ids"), ","), string(num(order))) ||
				!intFilter(tx, "contact_id", contact, byContact) || paid.excludes(tx.str("transaction_date")) {
				continue
			}
			items = append(items, d.renderTransaction(tx))
		}
		return items, nil
	})
}
