#!/bin/sh
# Runs once, when the PostgreSQL volume is created: the three roles of least privilege.
# The owner (POSTGRES_USER) owns the schema and runs migrations; clsm_app and clsm_stats only log in.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$CLSM_APP_PASSWORD" -v stats_password="$CLSM_STATS_PASSWORD" <<'SQL'
CREATE ROLE clsm_app LOGIN PASSWORD :'app_password';
CREATE ROLE clsm_stats LOGIN PASSWORD :'stats_password';
REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"DBNAME" TO clsm_app, clsm_stats;
SQL
