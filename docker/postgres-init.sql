-- compose.yaml: one PostgreSQL server, a database each for Keycloak and MLflow.
CREATE DATABASE mlflow;
