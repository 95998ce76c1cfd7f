package resources

// RoutesV2 returns every Keap REST v2 operation the store serves, for the mock to register
// under /crm/rest/v2 behind the same auth as v1. Paths and variable names are Keap's; a
// path with a fixed segment comes before one with a variable in its place
// (/tags/categories before /tags/{tag_id}), since the router takes the first match.
// Errors on these routes are v2's Error body.
func (s *Store) RoutesV2() []Route {
	var routes []Route
	for _, group := range [][]Route{
		s.contactRoutes2(), s.tagRoutes2(), s.companyRoutes2(), s.noteRoutes2(), s.taskRoutes2(),
		s.stageRoutes2(), s.opportunityRoutes2(), s.productRoutes2(), s.userRoutes2(), s.subscriptionRoutes2(),
		s.orderRoutes2(), s.leadSourceRoutes2(), s.affiliateRoutes2(),
	} {
		for _, rt := range group {
			rt.Handler = v2Route(rt.Handler)
			routes = append(routes, rt)
		}
	}
	return routes
}
