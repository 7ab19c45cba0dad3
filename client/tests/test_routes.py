"""mlflow-keycloak routes check: which routes a table lacks, which lines are dead, what to add."""
import io
import os
import tempfile
import unittest
from unittest import mock

from mlflow_keycloak import cli, routes

TABLE = """\
# a comment
MLFLOW-VERSIONS 3.14.0 3.15.0
GET     /health                               public
GET     /api/2.0/mlflow/experiments/get       experiment:read   experiment_id
POST    /api/3.0/mlflow/scorers/register      experiment:update experiment_id  mlflow>=3.15.0
GET     /api/2.0/mlflow/gone                  server:read                      mlflow<3.15.0
"""


class RouteTableLinesTest(unittest.TestCase):

    def test_a_line_counts_for_the_releases_of_its_range_under_both_prefixes(self):
        old = routes.table_lines(TABLE, "3.14.0", "t")
        self.assertIn("GET /ajax-api/2.0/mlflow/gone", old)
        self.assertNotIn("POST /api/3.0/mlflow/scorers/register", old)
        new = routes.table_lines(TABLE, "3.15.0", "t")
        self.assertEqual(new["POST /ajax-api/3.0/mlflow/scorers/register"][0], "t:5")
        self.assertNotIn("GET /api/2.0/mlflow/gone", new)

    def test_ranges(self):
        self.assertTrue(routes.in_range("mlflow>=3.15.0,<3.17.0", "3.16.1"))
        self.assertFalse(routes.in_range("mlflow>=3.15.0,<3.17.0", "3.17.0"))
        self.assertFalse(routes.in_range("mlflow<3.15.0", "3.15.0"))
        with self.assertRaises(ValueError):
            routes.in_range("mlflow", "3.15.0")


class CheckTest(unittest.TestCase):

    def test_prints_what_is_missing_with_a_suggested_line_and_the_dead_lines(self):
        served = {"GET /health", "GET /api/2.0/mlflow/experiments/get", "GET /ajax-api/2.0/mlflow/experiments/get",
                  "DELETE /api/3.0/mlflow/registered-models/<name>/badges/<badge_id>",
                  "DELETE /ajax-api/3.0/mlflow/registered-models/<name>/badges/<badge_id>"}
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as table:
            table.write(TABLE)
        self.addCleanup(os.unlink, table.name)
        out = io.StringIO()
        with mock.patch.object(routes, "served_routes", return_value=("3.15.0", served)):
            status = routes.run(table.name, None, out)
        self.assertEqual(status, 1)
        text = out.getvalue()
        self.assertIn("1 routes the table does not cover", text)
        self.assertIn("DELETE  /api/3.0/mlflow/registered-models/<name>/badges/<badge_id>  registered-model:delete  name,badge_id"
                      "  mlflow>=3.15.0", text)
        self.assertIn(f"{table.name}:5: POST    /api/3.0/mlflow/scorers/register", text)
        self.assertNotIn("/gone", text)

    def test_an_override_replaces_and_adds_lines_and_a_covered_mlflow_passes(self):
        served = {"GET /health", "GET /api/2.0/mlflow/experiments/get", "GET /ajax-api/2.0/mlflow/experiments/get",
                  "POST /api/3.0/mlflow/scorers/register", "POST /ajax-api/3.0/mlflow/scorers/register",
                  "GET /api/3.0/mlflow/new", "GET /ajax-api/3.0/mlflow/new"}
        files = []
        for text in (TABLE, "MLFLOW-VERSIONS 3.18.0\nEXTENDS 3.15.0\nGET /api/3.0/mlflow/new server:read\n"):
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as file:
                file.write(text)
            self.addCleanup(os.unlink, file.name)
            files.append(file.name)
        out = io.StringIO()
        with mock.patch.object(routes, "served_routes", return_value=("3.18.0", served)):
            self.assertEqual(routes.run(files[0], files[1], out), 0, out.getvalue())

    def test_the_cli_hands_routes_to_its_module(self):
        with mock.patch.object(routes, "run", return_value=0) as run:
            self.assertEqual(cli.main(["routes", "check", "table.txt"]), 0)
        run.assert_called_once()
        self.assertEqual(run.call_args.args[:2], ("table.txt", None))


if __name__ == "__main__":
    unittest.main()
