#!/bin/sh
# Create (once) and upgrade Temporal's own databases in the shared PostgreSQL server.
set -eu
tool="temporal-sql-tool --plugin postgres12 --ep $POSTGRES_SEEDS -u $POSTGRES_USER -p 5432"
for db in temporal temporal_visibility; do
  $tool --db "$db" create || true
done
$tool --db temporal setup-schema -v 0.0 || true
$tool --db temporal update-schema -d /etc/temporal/schema/postgresql/v12/temporal/versioned
$tool --db temporal_visibility setup-schema -v 0.0 || true
$tool --db temporal_visibility update-schema -d /etc/temporal/schema/postgresql/v12/visibility/versioned
