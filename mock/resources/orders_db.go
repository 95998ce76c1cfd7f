package resources

import (
	"net/http"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// newOrder builds an order (Keap's EcommerceReportingOrder, as GET returns it) from a
// checked body: the contact and products must exist; an item without a price costs what
// its product costs.
func (d *db) newOrder(in *orderInput) (object, error) {
	contact, err := d.contacts.find(*in.ContactID)
	if err != nil {
		return nil, refError("contact_id", "contact", *in.ContactID)
	}
	items, total, err := d.orderItems(*in.OrderItems)
	if err != nil {
		return nil, err
	}
	first := (*in.OrderItems)[0].ProductID
	now := d.stamp()
	o := object{
		"title": *in.OrderTitle, "status": "UNPAID", "order_type": *in.OrderType, "source_type": "API",
		"recurring": false, "contact_id": string(num(*in.ContactID)), "contact": orderContact(d, contact),
		"order_date": stampOf(*in.OrderDate), "creation_date": now, "modification_date": now,
		"order_items": items, "total": fromCents(total), "total_paid": fromCents(0), "total_due": fromCents(total),
		"refund_total": fromCents(0), "allow_payment": total > 0, "allow_paypal": false,
		"lead_affiliate_id": num(deref64(in.LeadAffiliateID)), "sales_affiliate_id": num(deref64(in.SalesAffiliateID)),
		"product_id": string(num(*first)),
	}
	if total == 0 {
		o["status"] = "PAID"
	}
	if a := in.ShippingAddress; a != nil {
		o["shipping_information"] = shippingInformation(a)
	}
	return o, nil
}

func (d *db) orderItems(in []orderItemInput) ([]any, int64, error) {
	var items []any
	var total int64
	for i, it := range in {
		p, ok := d.products.get(*it.ProductID)
		if !ok {
			return nil, 0, refError(field("order_items", i)+".product_id", "product", *it.ProductID)
		}
		price := centsOf(p, "product_price")
		if it.Price != nil {
			price, _ = parseCents(*it.Price)
		}
		qty := int64(*it.Quantity)
		if price > (maxCents-total)/qty {
			return nil, 0, httpapi.Errorf(http.StatusBadRequest, "%s: the order's total is too large for the mock", httpapi.KeapMalformed)
		}
		total += price * qty
		item := object{
			"id": num(d.nextItemID()), "name": p.str("product_name"), "type": "Product",
			"quantity": num(int64(*it.Quantity)), "price": fromCents(price), "cost": fromCents(0), "discount": fromCents(0),
			"product": object{"id": p["id"], "name": p.str("product_name"), "sku": p.str("sku"),
				"description": p.str("product_short_desc"), "shippable": false, "taxable": false},
		}
		setIf(item, "description", deref(it.Description))
		items = append(items, item)
	}
	return items, total, nil
}

// nextItemID numbers order items across all orders, as Keap does.
func (d *db) nextItemID() int64 {
	d.itemID++
	return d.itemID
}

func deref64(v *int64) int64 {
	if v == nil {
		return 0
	}
	return *v
}

// orderContact is Keap's EcommerceReportingOrderContactDetails for a contact.
func orderContact(d *db, c object) object {
	out := basicContact(c)
	setIf(out, "company_name", d.renderContact(c).str("company_name"))
	setIf(out, "job_title", c.str("job_title"))
	return out
}

// shippingInformation turns Keap's request address into its order-report address.
func shippingInformation(a *shippingAddress) object {
	out := object{"invoiceToCompany": a.IsInvoiceToCompany != nil && *a.IsInvoiceToCompany}
	for k, v := range map[string]*string{
		"company": a.Company, "country": a.CountryCode, "first_name": a.FirstName, "last_name": a.LastName,
		"middle_name": a.MiddleName, "phone": a.Phone, "state": a.Region, "street1": a.Line1,
		"street2": a.Line2, "city": a.Locality, "zip": a.ZipCode,
	} {
		setIf(out, k, deref(v))
	}
	return out
}

// renderOrder is an order as GET returns it, with the contact as it is now.
func (d *db) renderOrder(o object) object {
	out := o.clone()
	if id, ok := o.sub("contact").int("id"); ok {
		if c, ok := d.contacts.get(id); ok {
			out["contact"] = orderContact(d, c)
		}
	}
	return out
}

// createdOrder is the answer to POST /orders, which Keap documents with another schema
// (Order): items carry the full product, and the shipping address comes back as sent.
func (d *db) createdOrder(o object, ship *shippingAddress) object {
	out := o.only("id", "title", "status", "contact", "order_date", "creation_date", "modification_date",
		"total", "total_paid", "total_due", "refund_total", "lead_affiliate_id", "sales_affiliate_id")
	var items []any
	for _, it := range o.list("order_items") {
		item := it.only("id", "name", "description", "type", "quantity", "price", "cost", "discount")
		if p, ok := d.products.get(it.sub("product").id()); ok {
			item["product"] = listedProduct(p).only("id", "product_name", "product_desc", "product_price",
				"product_short_desc", "sku", "status", "subscription_only", "subscription_plans")
		}
		items = append(items, item)
	}
	out["order_items"] = items
	if ship != nil {
		out["shipping_information"] = fieldsOf(ship)
	}
	return out
}
