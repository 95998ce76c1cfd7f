package resources

import (
	"fmt"
	"net/http"
	"testing"
)

func TestOrderPaymentsAndTransactions(t *testing.T) {
	h := newHarness(t, true)
	body := orderBody()
	body["order_items"] = []any{
		map[string]any{"product_id": 11, "quantity": 1},
		map[string]any{"product_id": 13, "quantity": 2, "price": "35.50"},
	}
	body["shipping_address"] = map[string]any{"line1": "1840 W Elliot Rd", "locality": "Tempe", "region": "Arizona", "country_code": "USA"}
	created := h.must("POST", "/v1/orders", body, http.StatusCreated)
	id := created.id()
	wantEvents(t, h.takeEvents(), eventString("order.add", id), eventString("invoice.add", id))
	if created.float("total") != 1271 || created.float("total_due") != 1271 {
		t.Errorf("1200 + 2 x 35.50 = 1271, got total %v due %v", created["total"], created["total_due"])
	}

	order := h.must("GET", fmt.Sprintf("/v1/orders/%d", id), nil, http.StatusOK)
	if order.str("status") != "UNPAID" || order.str("contact_id") != "2003" || order.sub("shipping_information").str("city") != "Tempe" {
		t.Errorf("order: %v", order)
	}

	h.fail("POST", fmt.Sprintf("/v1/orders/%d/payments", id), map[string]any{"payment_amount": "5000"}, http.StatusBadRequest)
	pay := h.must("POST", fmt.Sprintf("/v1/orders/%d/payments", id), map[string]any{"payment_amount": "271.00", "payment_method_type": "CHECK", "notes": "deposit"}, http.StatusCreated)
	tx, _ := pay.int("transaction_id")
	wantEvents(t, h.takeEvents(), eventString("invoice.payment.add", tx), eventString("invoice.edit", id), eventString("order.edit", id))

	order = h.must("GET", fmt.Sprintf("/v1/orders/%d", id), nil, http.StatusOK)
	if order.float("total_paid") != 271 || order.float("total_due") != 1000 || order.str("status") != "UNPAID" {
		t.Errorf("after a partial payment: %v", order)
	}
	h.must("POST", fmt.Sprintf("/v1/orders/%d/payments", id), map[string]any{"payment_amount": "1000"}, http.StatusCreated)
	order = h.must("GET", fmt.Sprintf("/v1/orders/%d", id), nil, http.StatusOK)
	if order.str("status") != "PAID" || order.float("total_due") != 0 {
		t.Errorf("after paying in full: %v", order)
	}

	got := h.must("GET", fmt.Sprintf("/v1/transactions/%d", tx), nil, http.StatusOK)
	if got.float("amount") != 271 || got.str("order_ids") != fmt.Sprint(id) || len(got.list("orders")) != 1 {
		t.Errorf("transaction: %v", got)
	}
	payments := h.mustList("GET", fmt.Sprintf("/v1/orders/%d/payments", id), nil, http.StatusOK)
	if len(payments) != 2 || payments[0].str("note") != "deposit" {
		t.Errorf("payments: %v", payments)
	}
	list := h.must("GET", fmt.Sprintf("/v1/orders/%d/transactions", id), nil, http.StatusOK)
	if n, _ := list.int("count"); n != 2 {
		t.Errorf("order transactions: %v", list)
	}
	h.must("GET", "/v1/transactions?contact_id=2003", nil, http.StatusOK)
	if paid := h.must("GET", "/v1/orders?paid=true", nil, http.StatusOK); len(paid.list("orders")) != 1 {
		t.Errorf("paid orders: %v", paid)
	}

	// Keap deletes only orders without a payment.
	h.fail("DELETE", fmt.Sprintf("/v1/orders/%d", id), nil, http.StatusBadRequest)
	h.takeEvents()
}

func TestOrderErrors(t *testing.T) {
	h := newHarness(t, true)
	for name, change := range map[string]func(map[string]any){
		"no contact":      func(b map[string]any) { delete(b, "contact_id") },
		"unknown contact": func(b map[string]any) { b["contact_id"] = 1 },
		"unknown product": func(b map[string]any) { b["order_items"] = []any{map[string]any{"product_id": 1, "quantity": 1}} },
		"no items":        func(b map[string]any) { b["order_items"] = []any{} },
		"zero quantity":   func(b map[string]any) { b["order_items"] = []any{map[string]any{"product_id": 11, "quantity": 0}} },
		"bad price": func(b map[string]any) {
			b["order_items"] = []any{map[string]any{"product_id": 11, "quantity": 1, "price": "cheap"}}
		},
		"bad order type": func(b map[string]any) { b["order_type"] = "Mail" },
		"bad order date": func(b map[string]any) { b["order_date"] = "14/03/2024" },
		"total too large": func(b map[string]any) {
			b["order_items"] = []any{map[string]any{"product_id": 11, "quantity": 2147483647, "price": "99999999"}}
		},
		"number for price": func(b map[string]any) {
			b["order_items"] = []any{map[string]any{"product_id": 11, "quantity": 1, "price": 12}}
		},
	} {
		body := orderBody()
		change(body)
		if msg := h.fail("POST", "/v1/orders", body, http.StatusBadRequest); msg == "" {
			t.Errorf("%s: no message", name)
		}
	}
	h.fail("POST", "/v1/orders/1/payments", map[string]any{"payment_amount": "1"}, http.StatusNotFound)
	h.fail("GET", "/v1/orders/1/payments", nil, http.StatusNotFound)
	h.fail("GET", "/v1/transactions/1", nil, http.StatusNotFound)
	wantEvents(t, h.takeEvents())
}
