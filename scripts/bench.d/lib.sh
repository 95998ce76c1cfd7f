# Shared by the parts of scripts/bench: run one package's benchmarks once and read figures
# from their result lines. Sourced, never run.

# runbench PKG REGEX: runs the benchmarks matching REGEX in PKG once and keeps go test's
# output in $out. A failing benchmark (b.Fatal) makes go test fail: say so and show why,
# rather than letting set -e end the script silently with the output still captured.
runbench() {
	if ! out=$(go test -run '^$' -bench "$2" -benchtime 1x -count 1 "$1" 2>&1); then
		echo "scripts/bench: the benchmarks in $1 failed; go test said:" >&2
		echo "$out" >&2
		exit 1
	fi
}

# metric NAME BENCH: the value reported before unit NAME on BENCH's result line in $out.
metric() {
	awk -v unit="$1" -v bench="$2" '
		$1 ~ "^Benchmark" bench "(-[0-9]+)?$" {
			for (i = 2; i < NF; i++) if ($(i + 1) == unit) { print $i; exit }
		}' <<<"$out"
}

# require BENCH...: fails when one of the named benchmarks printed no result line.
require() {
	for bench in "$@"; do
		if ! grep -q "^Benchmark$bench" <<<"$out"; then
			echo "scripts/bench: benchmark $bench did not run; go test said:" >&2
			echo "$out" >&2
			exit 1
		fi
	done
}
