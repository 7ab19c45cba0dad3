# MLflow for compose.yaml: the version bin/stack installs (mlflow/requirements.txt), with the
# PostgreSQL client compose's backend store needs and the S3 client for an object store.
FROM python:3.11.11-slim
COPY mlflow/requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt psycopg2-binary boto3 \
    && mkdir -p /mlflow/artifacts && chown nobody /mlflow/artifacts
USER nobody
