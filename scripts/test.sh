#!/usr/bin/env bash
# The full check, as CI runs it: system and npm dependencies, typecheck, build, then jest.
# Extra arguments go to jest, e.g. `bash scripts/test.sh test/unit`.
# Ends with jest's own summary followed by one plain line `jest: N passed, N failed, N skipped (names of the skipped)`,
# and exits with jest's exit code.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-system-deps.sh --test
npm run typecheck
npm run build

results="$(mktemp "${TMPDIR:-/tmp}/jest-results.XXXXXX.json")"
trap 'rm -f "$results"' EXIT

jest_status=0
npx jest --ci --json --outputFile="$results" "$@" || jest_status=$?

# shellcheck disable=SC2016 # the ${...} are JavaScript template literals, not shell expansions.
if ! node -e '
  const fs = require("fs");
  const text = fs.readFileSync(process.argv[1], "utf8");
  if (!text.trim()) process.exit(1);
  const r = JSON.parse(text);
  // A skipped check must say so plainly: name each one (the Mongo contract without MONGO_URL).
  const skipped = r.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === "pending").map((a) => a.fullName));
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped${skipped.length ? ` (${skipped.join("; ")})` : ""}`);
' "$results" 2>/dev/null; then
  echo "jest: no results were written (jest exited with $jest_status)" >&2
fi

exit "$jest_status"
