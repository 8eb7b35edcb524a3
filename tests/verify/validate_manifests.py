#!/usr/bin/env python3
"""Validates Kubernetes manifests with the real `kubernetes-validate` package (tests/verify.rs,
tests/voxflow_deploy.rs).

    python3 tests/verify/validate_manifests.py KUBERNETES_VERSION FILE...

Every document of every file is validated in strict mode (unknown fields are errors) against
the given Kubernetes version's schema. Prints one JSON line: {"kubernetes_validate": version,
"kubernetes": version, "files": {FILE: [null or the first error of each document]}}; exits 0
(the caller decides which files must be valid), 3 with a line starting with `SKIP:` when a
package is missing. An error names the document and the field, never a value.
"""

import json
import sys
from importlib.metadata import version

try:
    import kubernetes_validate
    import yaml
except ImportError as error:
    print(f"SKIP: python package kubernetes-validate is missing ({error})")
    sys.exit(3)


def main() -> int:
    k8s_version, paths = sys.argv[1], sys.argv[2:]
    files = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            documents = [d for d in yaml.safe_load_all(f) if d is not None]
        results = []
        for document in documents:
            try:
                kubernetes_validate.validate(document, k8s_version, strict=True)
                results.append(None)
            except kubernetes_validate.ValidationError as error:
                results.append(f"{document.get('kind')}: {list(error.path)}: {error.validator}")
        files[path] = results
    print(json.dumps({
        "kubernetes_validate": version("kubernetes-validate"),
        "kubernetes": k8s_version,
        "files": files,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
