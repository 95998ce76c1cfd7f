#!/usr/bin/env bash
# The whole keaphook story, offline, in one command: a mock Keap, a tiny app that cannot set
# response headers, the relay in front of it, events triggered through the mock's API, the
# app failing until Keap makes the hook Inactive, verify reactivating it, and the contract
# checks. Orchestration only: everything it shows is keaphook's own behaviour.
#
# Ports can be changed with MOCK_ADDR, APP_ADDR, RELAY_ADDR and INSPECT_ADDR (the relay's
# inspector). Both inspectors can be watched in a browser while the demo runs.
set -euo pipefail
cd "$(dirname "$0")/.."

MOCK_ADDR=${MOCK_ADDR:-127.0.0.1:18080}
APP_ADDR=${APP_ADDR:-127.0.0.1:13000}
RELAY_ADDR=${RELAY_ADDR:-127.0.0.1:14000}
INSPECT_ADDR=${INSPECT_ADDR:-127.0.0.1:14040}
TOKEN=demo
MOCK=http://$MOCK_ADDR
work=$(mktemp -d)
pids=()

cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
api() { curl -sS -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" "$@"; }

# wait_for FILE PATTERN PID: block until a program's output shows PATTERN (at most 20 s);
# when the program exits first (a port already taken), stop waiting at once.
wait_for() {
	# The program's shell may not have opened its log yet: make sure tail finds one.
	: >>"$1"
	if ! timeout 20 grep -q -m1 "$2" <(tail -n +1 --pid="$3" -f "$1" 2>/dev/null); then
		kill -0 "$3" 2>/dev/null || echo "demo: $(basename "$1" .log) exited (a port in use? choose others with MOCK_ADDR, APP_ADDR and RELAY_ADDR)" >&2
		echo "demo: gave up waiting for \"$2\" in $1:" >&2
		cat "$1" >&2
		exit 1
	fi
}

step "Building keaphook and the demo app"
go build -o "$work/keaphook" ./cmd/keaphook
go build -o "$work/demoapp" ./scripts/demoapp
kh="$work/keaphook"

step "Starting a mock Keap ($MOCK, virtual clock, a seeded account)"
"$kh" mock --addr "$MOCK_ADDR" --timing virtual --seed --token "$TOKEN" >"$work/mock.log" 2>&1 &
pids+=($!)
wait_for "$work/mock.log" "listening on" $!

step "Starting the app: it answers 200 but cannot set response headers"
"$work/demoapp" --addr "$APP_ADDR" >"$work/app.log" 2>&1 &
pids+=($!)
wait_for "$work/app.log" "listening on" $!

step "Without help, the app can never verify: Keap needs the X-Hook-Secret echoed"
"$kh" check "http://$APP_ADDR/" --only handshake-echo || true

step "keaphook listen relays for it and registers contact.add on the mock"
"$kh" listen --addr "$RELAY_ADDR" --keap "$MOCK/crm/rest" --token "$TOKEN" \
	--forward-to "http://$APP_ADDR/" --register contact.add --inspect "$INSPECT_ADDR" >"$work/relay.log" 2>&1 &
relay=$!
pids+=($relay)
wait_for "$work/relay.log" "created: Verified" "$relay"
grep "created:" "$work/relay.log"

step "A contact is added twice in Keap; a minute later Keap delivers"
"$kh" trigger contact.add --count 2 --mock "$MOCK" --token "$TOKEN"
api -X POST -d '{"by":"2m"}' "$MOCK/_mock/clock/advance"
grep "demo app: contact.add" "$work/app.log"

step "The app starts failing with 500; Keap retries over 36 minutes, then gives up"
curl -sS -X POST "http://$APP_ADDR/status?code=500"
"$kh" trigger contact.add --mock "$MOCK" --token "$TOKEN"
api -X POST -d '{"by":"40m"}' "$MOCK/_mock/clock/advance"
grep -c " -> 500" "$work/app.log" | sed 's/^/attempts the app answered 500: /'
grep "is now Inactive" "$work/mock.log"
api "$MOCK/crm/rest/v1/hooks"

step "The app is fixed; verify reactivates the hook"
curl -sS -X POST "http://$APP_ADDR/status?code=200"
key=$(api "$MOCK/crm/rest/v1/hooks" | sed -n 's/.*"key":"\([0-9]*\)".*/\1/p' | head -n1)
api -X POST "$MOCK/crm/rest/v1/hooks/$key/verify"

step "The same story in the web inspectors"
echo "the mock's:  $MOCK/_mock/ui/?token=$TOKEN   (hooks, deliveries, every attempt, the retry timeline)"
echo "the relay's: http://$INSPECT_ADDR/   (each request received, the forward, a replay button)"
api "$MOCK/_mock/ui/?state=Failed" | grep -o 'data-id="d_[0-9]*"' | sed 's/^/a Failed delivery on the mock inspector: /'
curl -sS "http://$INSPECT_ADDR/" | grep -o 'Requests received ([0-9]*)' | sed 's/^/on the relay inspector: /'

step "The contract checks, as CI would run them, against the relay in front of the app"
"$kh" check "http://$RELAY_ADDR/hooks/contact.add"

step "Ctrl-C on the relay deletes the hook it created"
kill -INT "$relay"
wait "$relay" || true
api "$MOCK/crm/rest/v1/hooks"

step "Done: the whole story ran offline"
