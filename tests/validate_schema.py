#!/usr/bin/env python3
"""Validates a generated JSON Schema with the real `jsonschema` package (tests/docs.rs).

    python3 tests/validate_schema.py SCHEMA.json CASES.json

The schema itself is checked against the draft 2020-12 metaschema (with the `regex` format
checked, so every `pattern` compiles), then each case of CASES.json, a list of
{"name": ..., "env": {NAME: VALUE, ...}, "valid": true|false}, is validated against it.
Prints one JSON line: {"jsonschema": version, "cases": {name: [error messages]}} and exits 0
when every case came out as expected, 1 otherwise. Exits 3 with a line starting with `SKIP:`
when the package is missing.
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


def main() -> int:
    schema_path, cases_path = sys.argv[1:3]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(cases_path, encoding="utf-8") as f:
        cases = json.load(f)

    # The metaschema check, with formats (so `pattern` must be a valid regex).
    Draft202012Validator.check_schema(schema)
    if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
        print(f"wrong dialect: {schema.get('$schema')}", file=sys.stderr)
        return 1
    validator = Draft202012Validator(
        schema, format_checker=Draft202012Validator.FORMAT_CHECKER
    )

    ok = True
    results = {}
    for case in cases:
        errors = sorted(e.message for e in validator.iter_errors(case["env"]))
        results[case["name"]] = errors
        if bool(case["valid"]) == bool(errors):
            ok = False
            expected = "valid" if case["valid"] else "invalid"
            print(f"case {case['name']}: expected {expected}, got {errors}", file=sys.stderr)
    print(json.dumps({"jsonschema": version("jsonschema"), "cases": results}))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except jsonschema.exceptions.SchemaError as error:
        print(f"the schema is not a valid draft 2020-12 schema: {error}", file=sys.stderr)
        sys.exit(1)
