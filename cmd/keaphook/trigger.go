package main

import "context"

// runTrigger is provided by the trigger command's own file once it is written.
func runTrigger(ctx context.Context, e env, args []string) int {
	return failf(e, "trigger", "this command is not available in this build yet")
}
