"""Sign in to an MLflow tracking server behind mlflow-keycloak."""
