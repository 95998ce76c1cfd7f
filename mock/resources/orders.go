package resources

import (
	"net/http"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// Keap's v1 orders are its invoices: creating one emits order.add and invoice.add, deleting
// one order.delete and invoice.delete, a payment on one order.edit and invoice.edit (its
// totals and status change) besides invoice.payment.add. All carry the order's id.

func (s *Store) orderRoutes() []Route {
	getOrder := s.getter("orderId", func(d *db) *table { return d.orders }, (*db).renderOrder)
	getTransaction := s.getter("transactionId", func(d *db) *table { return d.transactions }, (*db).renderTransaction)
	return []Route{
		{http.MethodGet, "/orders", s.listOrders},
		{http.MethodPost, "/orders", s.createOrder},
		{http.MethodGet, "/orders/{orderId}", getOrder},
		{http.MethodDelete, "/orders/{orderId}", s.deleteOrder},
		{http.MethodGet, "/orders/{orderId}/payments", s.listPayments},
		{http.MethodPost, "/orders/{orderId}/payments", s.createPayment},
		{http.MethodGet, "/orders/{orderId}/transactions", s.listOrderTransactions},
		{http.MethodGet, "/transactions", s.listTransactions},
		{http.MethodGet, "/transactions/{transactionId}", getTransaction},
	}
}

func (s *Store) createOrder(w http.ResponseWriter, r *http.Request) {
	var in orderInput
	if err := s.body(w, r, &in, creating); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		o, events, err := d.placeOrder(&in)
		if err != nil {
			return reply{}, err
		}
		return reply{http.StatusCreated, d.createdOrder(o, in.ShippingAddress), events}, nil
	})
}

// placeOrder stores a new order from a checked input, for v1's and v2's creates alike: the
// order, whose invoice number is its id, and its order.add and invoice.add.
func (d *db) placeOrder(in *orderInput) (object, []event, error) {
	o, err := d.newOrder(in)
	if err != nil {
		return nil, nil, err
	}
	id, err := d.orders.insert(o)
	if err != nil {
		return nil, nil, err
	}
	o["invoice_number"] = num(id)
	return o, append(emitted("order.add", id), emitted("invoice.add", id)...), nil
}

// deleteOrder is DELETE /orders/{orderId}; Keap deletes only orders without a payment.
func (s *Store) deleteOrder(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "orderId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		events, err := d.deleteOrder(id)
		return reply{status: http.StatusNoContent, events: events}, err
	})
}

// deleteOrder removes an order without payments; both versions' DELETE use it.
func (d *db) deleteOrder(id int64) ([]event, error) {
	if _, err := d.orders.find(id); err != nil {
		return nil, err
	}
	if n := len(d.paymentsOf(id)); n > 0 {
		return nil, httpapi.Errorf(http.StatusBadRequest, "order %d has %d payment(s); Keap deletes only orders without a payment", id, n)
	}
	d.orders.remove(id)
	return append(emitted("order.delete", id), emitted("invoice.delete", id)...), nil
}
