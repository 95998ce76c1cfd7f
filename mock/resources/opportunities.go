package resources

// opportunityInput is Keap's UpdateOpportunityRequest (POST, PUT, PATCH). The server keeps
// date_created and last_updated, and fills the contact, the user and the stage from the
// objects their ids name, so only those ids matter in them.
type opportunityInput struct {
	AffiliateID          *int64              `json:"affiliate_id,omitempty"`
	Contact              *opportunityContact `json:"contact,omitempty"`
	CustomFields         *[]customField      `json:"custom_fields,omitempty"`
	DateCreated          *string             `json:"date_created,omitempty"`
	EstimatedCloseDate   *string             `json:"estimated_close_date,omitempty"`
	ID                   *int64              `json:"id,omitempty"`
	IncludeInForecast    *int32              `json:"include_in_forecast,omitempty"`
	LastUpdated          *string             `json:"last_updated,omitempty"`
	NextActionDate       *string             `json:"next_action_date,omitempty"`
	NextActionNotes      *string             `json:"next_action_notes,omitempty"`
	OpportunityNotes     *string             `json:"opportunity_notes,omitempty"`
	OpportunityTitle     *string             `json:"opportunity_title,omitempty"`
	ProjectedRevenueHigh *float64            `json:"projected_revenue_high,omitempty"`
	ProjectedRevenueLow  *float64            `json:"projected_revenue_low,omitempty"`
	Stage                *stageInput         `json:"stage,omitempty"`
	User                 *simpleUser         `json:"user,omitempty"`
}

type opportunityContact struct {
	CompanyName *string `json:"company_name,omitempty"`
	Email       *string `json:"email,omitempty"`
	FirstName   *string `json:"first_name,omitempty"`
	ID          *int64  `json:"id,omitempty"`
	JobTitle    *string `json:"job_title,omitempty"`
	LastName    *string `json:"last_name,omitempty"`
	PhoneNumber *string `json:"phone_number,omitempty"`
}

type stageInput struct {
	Details *stageDetails `json:"details,omitempty"`
	ID      *int64        `json:"id,omitempty"`
	Name    *string       `json:"name,omitempty"`
	Reasons *[]string     `json:"reasons,omitempty"`
}

type stageDetails struct {
	CheckListItems *[]checkListItem `json:"check_list_items,omitempty"`
	Probability    *int32           `json:"probability,omitempty"`
	StageOrder     *int32           `json:"stage_order,omitempty"`
	TargetNumDays  *int32           `json:"target_num_days,omitempty"`
}

type checkListItem struct {
	Description *string `json:"description,omitempty"`
	DoneDate    *string `json:"done_date,omitempty"`
	ID          *int64  `json:"id,omitempty"`
	InstanceID  *int64  `json:"instance_id,omitempty"`
	ItemOrder   *int32  `json:"item_order,omitempty"`
	Required    *bool   `json:"required,omitempty"`
}

type simpleUser struct {
	FirstName *string `json:"first_name,omitempty"`
	ID        *int64  `json:"id,omitempty"`
	LastName  *string `json:"last_name,omitempty"`
}

func (in *opportunityInput) check(c *check, m mode) {
	if m.full() {
		c.required("contact", in.Contact != nil)
		c.requiredString("opportunity_title", in.OpportunityTitle)
		c.required("stage", in.Stage != nil)
	}
	if in.Contact != nil {
		c.required("contact.id", in.Contact.ID != nil)
		c.positive("contact.id", in.Contact.ID)
	}
	if in.Stage != nil {
		c.required("stage.id", in.Stage.ID != nil)
		c.positive("stage.id", in.Stage.ID)
	}
	if in.User != nil {
		c.required("user.id", in.User.ID != nil)
		c.positive("user.id", in.User.ID)
	}
	c.dateTime("estimated_close_date", in.EstimatedCloseDate)
	c.dateTime("next_action_date", in.NextActionDate)
	c.dateTime("date_created", in.DateCreated)
	c.dateTime("last_updated", in.LastUpdated)
	c.customFields(in.CustomFields)
}
