#!/usr/bin/env bash
# The test command: installs what is missing, type-checks, lints, runs every test, then runs the
# HTTP suite a second time on PostgreSQL/PostGIS (the cluster store), in a database of its own
# (TESSERA_TEST_HTTP_POSTGRES=0 skips that second run). With arguments (test files or vitest options) only the
# first run happens, with them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The store contract tests run against the machine's PostgreSQL as well as SQLite.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
fi
npx tsc --noEmit -p .
npx eslint --no-error-on-unmatched-pattern src test bench
mkdir -p .tmp
rm -f .tmp/vitest.json .tmp/vitest-postgres.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json "$@" || status=$?

if [ $# -eq 0 ] && [ "${TESSERA_TEST_HTTP_POSTGRES:-1}" = 1 ]; then
  # Each test server gets a schema of its own in this database; it is made afresh for every run.
  HTTP_PG_URL="${TESSERA_TEST_HTTP_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/tessera_test_http}"
  HTTP_PG_DB="${HTTP_PG_URL##*/}"
  HTTP_PG_ADMIN="${HTTP_PG_URL%/*}/postgres"
  echo "Running test/http on PostgreSQL ($HTTP_PG_DB)"
  if psql "$HTTP_PG_ADMIN" -qc "DROP DATABASE IF EXISTS \"$HTTP_PG_DB\" WITH (FORCE)" \
    && psql "$HTTP_PG_ADMIN" -qc "CREATE DATABASE \"$HTTP_PG_DB\"" \
    && psql "$HTTP_PG_URL" -qc 'CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public'; then
    TESSERA_TEST_STORE=postgres TESSERA_TEST_POSTGRES_URL="$HTTP_PG_URL" \
      npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest-postgres.json test/http || status=$?
    psql "$HTTP_PG_ADMIN" -qc "DROP DATABASE IF EXISTS \"$HTTP_PG_DB\" WITH (FORCE)" || true
  else
    echo "Could not make the database $HTTP_PG_DB: the PostgreSQL run of test/http fails"
    status=1
  fi
fi

# A closing line CI can read whatever the runner: "N passed, N failed", both runs together.
node -e '
  const fs = require("fs");
  const t = { passed: 0, failed: 0, skipped: 0 };
  for (const file of [".tmp/vitest.json", ".tmp/vitest-postgres.json"]) {
    if (!fs.existsSync(file)) continue;
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    t.passed += r.numPassedTests;
    t.failed += r.numFailedTests;
    t.skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
' || true
exit $status
