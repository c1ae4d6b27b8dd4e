#!/usr/bin/env bash
# Runs once, after postgres/init.sql, in the postgres image's first start: gives the app and
# Debezium roles their passwords (from the environment, never on a command line) and lets
# Debezium's role open replication connections from the compose network.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v app_pw="$CDC_APP_PASSWORD" -v dbz_pw="$CDC_DEBEZIUM_PASSWORD" <<'SQL'
ALTER ROLE cdc_app PASSWORD :'app_pw';
ALTER ROLE debezium PASSWORD :'dbz_pw';
SQL
echo "host replication debezium all scram-sha-256" >> "$PGDATA/pg_hba.conf"
