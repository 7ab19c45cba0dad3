#!/bin/sh
# compose.yaml: a database and a user of its own each for Keycloak and MLflow, with the passwords
# given to the postgres container; run once, when the data volume is new.
set -eu
psql -v ON_ERROR_STOP=1 -U postgres -d postgres \
  -v keycloak_password="$KEYCLOAK_DB_PASSWORD" -v mlflow_password="$MLFLOW_DB_PASSWORD" <<'SQL'
CREATE USER keycloak WITH PASSWORD :'keycloak_password';
CREATE DATABASE keycloak OWNER keycloak;
CREATE USER mlflow WITH PASSWORD :'mlflow_password';
CREATE DATABASE mlflow OWNER mlflow;
SQL
