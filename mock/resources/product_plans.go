package resources

import (
	"net/http"
	"slices"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// planInput is Keap's CreateProductSubscription body: a subscription plan of a product,
// which POST /v1/subscriptions then names as subscription_plan_id.
type planInput struct {
	Active                *bool    `json:"active,omitempty"`
	CycleType             *string  `json:"cycle_type,omitempty"`
	Frequency             *int64   `json:"frequency,omitempty"`
	NumberOfCycles        *int64   `json:"number_of_cycles,omitempty"`
	PlanPrice             *float64 `json:"plan_price,omitempty"`
	SubscriptionPlanIndex *int64   `json:"subscription_plan_index,omitempty"`
}

var cycleTypes = []string{"YEAR", "MONTH", "WEEK", "DAY"}

func (s *Store) planRoutes() []Route {
	return []Route{
		{http.MethodPost, "/products/{productId}/subscriptions", s.createPlan},
		{http.MethodGet, "/products/{productId}/subscriptions/{subscriptionId}", s.getPlan},
		{http.MethodDelete, "/products/{productId}/subscriptions/{subscriptionId}", s.deletePlan},
	}
}

// createPlan adds a plan to the product (product.edit): ids are unique across products.
func (s *Store) createPlan(w http.ResponseWriter, r *http.Request) {
	productID, err := pathID(r, "productId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in planInput
	if err := s.decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	var c check
	c.required("cycle_type", in.CycleType != nil)
	c.enum("cycle_type", in.CycleType, cycleTypes...)
	c.required("plan_price", in.PlanPrice != nil)
	if in.PlanPrice != nil && *in.PlanPrice < 0 {
		c.bad("plan_price must not be negative, got %v", *in.PlanPrice)
	}
	c.positive("frequency", in.Frequency)
	if err := c.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		p, err := d.products.find(productID)
		if err != nil {
			return reply{}, err
		}
		plan := object{"active": true, "frequency": num(1), "number_of_cycles": num(0),
			"subscription_plan_index": num(int64(len(p.list("subscription_plans"))))}
		plan.merge(fieldsOf(&in))
		plan["plan_price"] = money(*in.PlanPrice)
		plan["id"] = num(d.nextPlanID())
		plan["subscription_plan_name"] = p.str("product_name") + " (" + *in.CycleType + ")"
		p["subscription_plans"] = append(slices.Clone(asList(p["subscription_plans"])), map[string]any(plan))
		return reply{http.StatusCreated, plan.clone(), emitted("product.edit", productID)}, nil
	})
}

func (s *Store) getPlan(w http.ResponseWriter, r *http.Request) {
	productID, planID, err := planIDs(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.read(w, r, func(d *db) (any, error) {
		_, plan, err := d.productPlan(productID, planID)
		if err != nil {
			return nil, err
		}
		return plan.clone(), nil
	})
}

// deletePlan removes a plan from its product (product.edit); subscriptions to it stay.
func (s *Store) deletePlan(w http.ResponseWriter, r *http.Request) {
	productID, planID, err := planIDs(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		p, _, err := d.productPlan(productID, planID)
		if err != nil {
			return reply{}, err
		}
		p["subscription_plans"] = slices.DeleteFunc(slices.Clone(asList(p["subscription_plans"])), func(x any) bool {
			m, _ := x.(map[string]any)
			return object(m).id() == planID
		})
		return reply{status: http.StatusNoContent, events: emitted("product.edit", productID)}, nil
	})
}

func planIDs(r *http.Request) (product, plan int64, err error) {
	if product, err = pathID(r, "productId"); err != nil {
		return 0, 0, err
	}
	plan, err = pathID(r, "subscriptionId")
	return product, plan, err
}

// productPlan finds plan planID of product productID, or Keap's 404 for either.
func (d *db) productPlan(productID, planID int64) (object, object, error) {
	p, err := d.products.find(productID)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range p.list("subscription_plans") {
		if x.id() == planID {
			return p, x, nil
		}
	}
	return nil, nil, httpapi.Errorf(http.StatusNotFound, "subscription plan %d of product %d not found: it does not exist or was deleted", planID, productID)
}

// nextPlanID is above every plan id any product has.
func (d *db) nextPlanID() int64 {
	next := int64(1)
	for _, p := range d.products.all() {
		for _, x := range p.list("subscription_plans") {
			next = max(next, x.id()+1)
		}
	}
	return next
}
