#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas up to date. Safe to run on every start: an
# existing database is kept and only missing schema versions are applied. Run by docker-compose.yml's
# `temporal-schema` service (temporalio/admin-tools) and by `npm run rehearsal` (scripts/rehearsal/), so the stack
# that is rehearsed is set up exactly as the one that is deployed.
#
# Environment: POSTGRES_SEEDS (host), DB_PORT, POSTGRES_USER, SQL_PASSWORD (read by temporal-sql-tool itself),
# TEMPORAL_SCHEMA_DIR (default: where the admin-tools image keeps the schemas).
set -eu

schema_dir=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12
for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}
  sql="temporal-sql-tool --plugin postgres12 --ep $POSTGRES_SEEDS -p $DB_PORT -u $POSTGRES_USER --db $db"
  $sql create
  $sql setup-schema -v 0.0
  $sql update-schema -d "$schema_dir/${pair#*:}/versioned"
done
