package main

import "context"

// runCheck is provided by the check command's own file once it is written.
func runCheck(ctx context.Context, e env, args []string) int {
	return failf(e, "check", "this command is not available in this build yet")
}
