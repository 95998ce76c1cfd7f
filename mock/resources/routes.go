package resources

// Routes returns every operation the store serves, for the mock to register under
// /crm/rest/v1 behind its auth. Paths are Keap's, variable names included (Keap's document
// spells the contact id {id} for GET and {contactId} elsewhere).
func (s *Store) Routes() []Route {
	var routes []Route
	for _, group := range [][]Route{
		s.contactRoutes(), s.tagRoutes(), s.companyRoutes(), s.noteRoutes(), s.taskRoutes(),
		s.opportunityRoutes(), s.orderRoutes(), s.orderItemRoutes(), s.productRoutes(), s.planRoutes(), s.subscriptionRoutes(),
		s.appointmentRoutes(), s.userRoutes(), s.emailStatusRoutes(), s.accountRoutes(), s.affiliateRoutes(),
	} {
		routes = append(routes, group...)
	}
	return routes
}
