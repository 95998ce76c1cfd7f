package resources

import (
	"net/http"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// paymentInput is Keap's CreatePayment body. payment_amount is a decimal string.
type paymentInput struct {
	ApplyToCommissions *bool   `json:"apply_to_commissions,omitempty"`
	ChargeNow          *bool   `json:"charge_now,omitempty"`
	CreditCardID       *int64  `json:"credit_card_id,omitempty"`
	Date               *string `json:"date,omitempty"`
	Notes              *string `json:"notes,omitempty"`
	PaymentAmount      *string `json:"payment_amount,omitempty"`
	PaymentGatewayID   *string `json:"payment_gateway_id,omitempty"`
	PaymentMethodType  *string `json:"payment_method_type,omitempty"`
}

func (in *paymentInput) check(c *check, _ mode) {
	c.required("payment_amount", in.PaymentAmount != nil)
	c.amount("payment_amount", in.PaymentAmount, false)
	c.dateTime("date", in.Date)
	c.enum("payment_method_type", in.PaymentMethodType, "CREDIT_CARD", "CASH", "CHECK", "TOKEN")
	c.positive("credit_card_id", in.CreditCardID)
	if in.ChargeNow != nil && *in.ChargeNow && deref(in.PaymentMethodType) == "CREDIT_CARD" && in.CreditCardID == nil {
		c.bad("credit_card_id is required to charge a credit card now")
	}
}

// createPayment is POST /orders/{orderId}/payments. It records a transaction (the
// invoice.payment.add id, as fixtures.Lookup documents), the order's payment record, and
// the order's new totals (order.edit and invoice.edit). Paying more than is due is refused.
func (s *Store) createPayment(w http.ResponseWriter, r *http.Request) {
	orderID, err := pathID(r, "orderId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in paymentInput
	if err := s.body(w, r, &in, creating); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		p, tx, amount, events, err := d.pay(orderID, &in)
		if err != nil {
			return reply{}, err
		}
		body := object{"id": p["id"], "invoice_id": num(orderID), "payment_amount": fromCents(amount),
			"payment_status": p.str("pay_status"), "transaction_id": num(tx)}
		return reply{http.StatusCreated, body, events}, nil
	})
}

// pay records a checked payment on an order, v1's and v2's alike: it refuses more than is
// due, and returns the payment record, its transaction id, the amount in cents and the
// events (invoice.payment.add, invoice.edit, order.edit).
func (d *db) pay(orderID int64, in *paymentInput) (object, int64, int64, []event, error) {
	order, err := d.orders.find(orderID)
	if err != nil {
		return nil, 0, 0, nil, err
	}
	amount, _ := parseCents(*in.PaymentAmount)
	if due := centsOf(order, "total_due"); amount > due {
		return nil, 0, 0, nil, refuseOverpayment(amount, due, orderID)
	}
	p, tx, err := d.recordPayment(order, in, amount)
	if err != nil {
		return nil, 0, 0, nil, err
	}
	events := append(emitted("invoice.payment.add", tx), emitted("invoice.edit", orderID)...)
	return p, tx, amount, append(events, emitted("order.edit", orderID)...), nil
}

// refuseOverpayment is the 400 for a payment of more than is due.
func refuseOverpayment(amount, due, order int64) error {
	return httpapi.Errorf(http.StatusBadRequest, "payment_amount %s is more than the %s due on order %d", fromCents(amount), fromCents(due), order)
}

// recordPayment stores the transaction and the payment record and updates the order.
func (d *db) recordPayment(order object, in *paymentInput, amount int64) (object, int64, error) {
	now := d.stamp()
	when := now
	if in.Date != nil {
		when = stampOf(*in.Date)
	}
	orderID := order.id()
	contact, _ := asInt(order.sub("contact")["id"])
	card := deref(in.PaymentMethodType) == "CREDIT_CARD"
	tx := object{"amount": fromCents(amount), "currency": "USD", "status": "Successful", "type": "Sale", "test": false,
		"contact_id": num(contact), "gateway": "MANUAL", "collection_method": "Manual",
		"transaction_date": when, "paymentDate": when, "order_ids": string(num(orderID))}
	if card && in.ChargeNow != nil && *in.ChargeNow {
		tx["gateway"], tx["gateway_account_name"], tx["collection_method"] = "KEAP_PAYMENTS", "Keap Payments", "Automatic"
	}
	txID, err := d.transactions.insert(tx)
	if err != nil {
		return nil, 0, err
	}
	p := object{"amount": fromCents(amount), "invoice_id": num(orderID), "pay_date": when, "last_updated": now,
		"pay_status": "Paid", "payment_id": num(txID), "skip_commission": in.ApplyToCommissions != nil && !*in.ApplyToCommissions}
	setIf(p, "note", deref(in.Notes))
	if _, err := d.payments.insert(p); err != nil {
		d.transactions.remove(txID)
		return nil, 0, err
	}
	paid := centsOf(order, "total_paid") + amount
	due := centsOf(order, "total") - paid
	order["total_paid"], order["total_due"], order["modification_date"] = fromCents(paid), fromCents(due), now
	if due <= 0 {
		order["status"], order["allow_payment"] = "PAID", false
	}
	return p, txID, nil
}

// paymentsOf lists an order's payment records.
func (d *db) paymentsOf(order int64) []object {
	var out []object
	for _, p := range d.payments.all() {
		if intFilter(p, "invoice_id", order, true) {
			out = append(out, p)
		}
	}
	return out
}

// listPayments is GET /orders/{orderId}/payments: a bare array of InvoicePayment.
func (s *Store) listPayments(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "orderId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.read(w, r, func(d *db) (any, error) {
		if _, err := d.orders.find(id); err != nil {
			return nil, err
		}
		out := []object{}
		for _, p := range d.paymentsOf(id) {
			out = append(out, p.clone())
		}
		return out, nil
	})
}
