#!/usr/bin/env python3
"""Validates many environments against generated JSON Schemas in one run (tests/schema_parity.rs).

    python3 tests/schema_parity.py INPUT.json

INPUT.json is {"schemas": {KEY: schema, ...}, "cases": [{"schema": KEY, "name": ...,
"env": {NAME: VALUE, ...}, "valid": true|false|null}, ...]}. Each schema is first checked
against the draft 2020-12 metaschema (with the `regex` format checked, so every `pattern`
compiles), then every case is validated against its schema with the real `jsonschema`
package. `"valid": null` is a case whose verdict is not held either way (a known gap).

Prints one JSON line: {"jsonschema": version, "checked": N, "mismatches": [{"name": ...,
"env": ..., "valid": expected, "errors": [...]}, ...], "unheld_accepted": [name, ...]} (the
cases with `"valid": null` that the schema accepted) and exits 0; the caller decides what a
mismatch means. Exits 1 when a schema is not a valid draft 2020-12 schema, and 3 with a line
starting with `SKIP:` when the package is missing.
"""

import json
import sys
from importlib.metadata import version

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError as error:
    print(f"SKIP: python package jsonschema is missing ({error})")
    sys.exit(3)

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)

    validators = {}
    for key, schema in data["schemas"].items():
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError as error:
            print(f"schema {key} is not a valid draft 2020-12 schema: {error}", file=sys.stderr)
            return 1
        if schema.get("$schema") != DIALECT:
            print(f"schema {key}: wrong dialect {schema.get('$schema')}", file=sys.stderr)
            return 1
        validators[key] = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )

    mismatches = []
    unheld_accepted = []
    for case in data["cases"]:
        errors = sorted(e.message for e in validators[case["schema"]].iter_errors(case["env"]))
        if case["valid"] is None:
            if not errors:
                unheld_accepted.append(case["name"])
        elif bool(case["valid"]) == bool(errors):
            mismatches.append(
                {
                    "name": case["name"],
                    "env": case["env"],
                    "valid": case["valid"],
                    "errors": errors,
                }
            )
    print(
        json.dumps(
            {
                "jsonschema": version("jsonschema"),
                "checked": len(data["cases"]),
                "mismatches": mismatches,
                "unheld_accepted": unheld_accepted,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
