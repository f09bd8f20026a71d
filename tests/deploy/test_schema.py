#!/usr/bin/env python3
"""config/feedgate.schema.json: the bundled configs and recipes validate against it, and the
schema and `feedgate check` (the C++ validator) give the same verdict on good and bad configs."""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("FEEDGATE_BIN", str(REPO / "build" / "feedgate"))

try:
    import jsonschema
    import yaml
except ImportError as e:  # pragma: no cover
    print(f"SKIPPED: {e.name} is missing (Debian python3-jsonschema, python3-yaml; "
          "deploy/install-deps.sh --with-tests)")
    sys.exit(77)

FEED = 'feeds:\n  - { id: a, url: "http://127.0.0.1:1/" '
# name → (config text, valid?). Each bad one breaks one rule both validators know.
CASES = {
    "minimal_feed": (FEED + "}\n", True),
    "no_feeds": ("feeds: []\n", True),
    "every_section": ("""server: { listen: "[::1]:8080", base_url: "https://f.example.org", threads: 4 }
storage: { path: feeds.db }
fetch: { user_agent: x, timeout: 1m30s, max_body: 512KiB, concurrency: 4, per_host: 1 }
log: { level: debug, access_log: true }
defaults: { interval: 20m, max_items: 10, timezone: Europe/Berlin, charset: gbk }
feeds:
  - id: a-1
    title: A
    url: "https://a.test/list/"
    links: "ul li > a"
    link_pattern: 'content_\\d+'
    article: { title: h1, content: "#zoom", remove: [".ad", script] }
""", True),
    "shaping": ("""server: { shaped_cache: 4MiB }
feeds:
  - id: a
    url: "http://127.0.0.1:1/"
    filter: { include: { title: "杭州|亚运" }, exclude: { any: 广告 }, case_sensitive: false, max_age: 2d }
  - { id: a-hant, same_as: a, opencc: s2t }
""", True),
    "preview": ('preview: { enabled: true, token: "0123456789abcdef", rate: 10/h, concurrency: 3 }\n',
                True),
    "preview_rate_per_day": ("preview: { rate: 6/day }\n", False),
    "preview_short_token": ("preview: { token: short }\n", False),
    "preview_concurrency_zero": ("preview: { concurrency: 0 }\n", False),
    "websub": ("websub: { enabled: true, max_subscriptions: 500, max_per_topic: 50, "
               "max_pending: 20, lease: 2d, max_lease: 30d, min_lease: 1h }\n", True),
    "websub_unknown_key": ("websub: { enable: true }\n", False),
    "websub_zero_cap": ("websub: { max_subscriptions: 0 }\n", False),
    "opencc_unknown": (FEED + ", opencc: s2x }\n", False),
    "filter_unknown_field": (FEED + ", filter: { include: { body: x } } }\n", False),
    "max_body_as_plain_number": ("fetch: { max_body: 1048576 }\n", True),
    "unknown_top_level_key": ("feeds: []\nfeedz: []\n", False),
    "unknown_feed_key": (FEED + ", intervl: 10m }\n", False),
    "feed_without_url": ("feeds:\n  - { id: a }\n", False),
    "uppercase_feed_id": ('feeds:\n  - { id: A, url: "http://127.0.0.1:1/" }\n', False),
    "ftp_url": ('feeds:\n  - { id: a, url: "ftp://a.test/" }\n', False),
    "duration_without_unit": ("fetch: { timeout: 30 }\n", False),
    "duration_unknown_unit": (FEED + ", interval: 10 minutes }\n", False),
    "size_unknown_unit": ("fetch: { max_body: 8 megabytes }\n", False),
    "concurrency_zero": ("fetch: { concurrency: 0 }\n", False),
    "max_items_too_large": (FEED + ", max_items: 10001 }\n", False),
    "log_level_unknown": ("log: { level: loud }\n", False),
    "access_log_not_boolean": ("log: { access_log: sometimes }\n", False),
    "listen_without_port": ('server: { listen: "127.0.0.1" }\n', False),
    "threads_zero": ("server: { threads: 0 }\n", False),
    "threads_over_64": ("server: { threads: 65 }\n", False),
    "threads_not_a_number": ("server: { threads: many }\n", False),
    "base_url_not_http": ('server: { base_url: "ftp://x" }\n', False),
    "unknown_article_key": (FEED + ", article: { body: main } }\n", False),
    "feeds_not_a_list": ("feeds: { id: a }\n", False),
    "network_keys": ("fetch: { min_gap: 0s, stall_timeout: 20s, allow_private: true, "
                     "proxy: \"socks5h://127.0.0.1:1080\" }\n", True),
    "merged_feed": (FEED + "}\n  - { id: all, merge: [a] }\n", True),
    "max_backoff_without_unit": (FEED + ", max_backoff: 6 }\n", False),
    "proxy_unknown_scheme": ('fetch: { proxy: "ftp://127.0.0.1:21" }\n', False),
    "trusted_peers": ('fetch: { trusted_peers: ["10.0.0.5:80", "[fd00::5]:8080"] }\n', True),
    "trusted_peer_host_name": ('fetch: { trusted_peers: ["intranet.example:80"] }\n', False),
    "trusted_peer_without_port": ('fetch: { trusted_peers: ["10.0.0.5"] }\n', False),
    # PostgreSQL storage (storage.url, password_file, pool).
    "storage_postgres": ('storage: { url: "postgresql://fg@[::1]:5432/fg", password_file: pw,'
                         ' pool: 8 }\n', True),
    "storage_path_and_url": ('storage: { path: a.db, url: "postgresql://fg@db/fg" }\n', False),
    "storage_url_not_postgres": ('storage: { url: "mysql://fg@db/fg" }\n', False),
    "storage_url_with_password": ('storage: { url: "postgresql://fg:secret@db/fg" }\n', False),
    "storage_url_password_param": ('storage: { url: "postgresql://db/fg?password=x" }\n', False),
    "storage_pool_zero": ('storage: { url: "postgresql://fg@db/fg", pool: 0 }\n', False),
    # Bylines.
    "byline_in_content_off": ("defaults: { byline_in_content: false }\n" + FEED + "}\n", True),
    "byline_in_content_not_boolean": (FEED + ", byline_in_content: sometimes }\n", False),
}


class Schema(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        schema = json.loads((REPO / "config" / "feedgate.schema.json").read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        cls.validator = jsonschema.Draft202012Validator(schema)
        cls.recipe_validator = jsonschema.Draft202012Validator(
            {**schema, "$ref": "#/$defs/recipe", "properties": {}, "additionalProperties": True})
        cls.tmp = pathlib.Path(tempfile.mkdtemp(prefix="feedgate-schema-"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def errors(self, validator, document):
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in validator.iter_errors(document)]

    def test_bundled_configs_validate(self):
        for path in [REPO / "config" / "feedgate.yaml", REPO / "deploy" / "feedgate.yaml"]:
            with self.subTest(path=path.name):
                document = yaml.safe_load(path.read_text(encoding="utf-8"))
                self.assertEqual(self.errors(self.validator, document), [])

    def test_bundled_recipes_validate(self):
        recipes = sorted((REPO / "feeds").glob("*/recipe.yaml"))
        self.assertTrue(recipes)
        for path in recipes:
            with self.subTest(recipe=path.parent.name):
                document = yaml.safe_load(path.read_text(encoding="utf-8"))
                self.assertEqual(self.errors(self.recipe_validator, document), [])

    def test_schema_and_feedgate_check_agree(self):
        for name, (text, valid) in CASES.items():
            with self.subTest(case=name):
                path = self.tmp / f"{name}.yaml"
                path.write_text(text, encoding="utf-8")
                schema_errors = self.errors(self.validator, yaml.safe_load(text))
                check = subprocess.run([BINARY, "check", "-c", str(path)], capture_output=True,
                                       text=True, timeout=30)
                self.assertEqual(schema_errors == [], valid, f"schema: {schema_errors}")
                self.assertEqual(check.returncode, 0 if valid else 2, check.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
