#!/usr/bin/env python3
"""Validates generated Kubernetes probes with the real `kubernetes-validate` package
(tests/docs.rs).

    python3 tests/validate_probes.py PROBES.yaml KUBERNETES_VERSION

The probes text is pasted, as it is, under a container of a minimal Deployment (indented,
as a person would paste it), and the whole manifest is validated in strict mode (unknown
fields are errors) against the given Kubernetes version's schema. As a check that the
validator is live, a copy with a broken probe must fail. Prints one JSON line:
{"kubernetes_validate": version, "kubernetes": version, "probes": {...parsed...}}; exits 0
when valid, 1 otherwise, 3 with a line starting with `SKIP:` when a package is missing.
"""

import copy
import json
import sys
from importlib.metadata import version

try:
    import kubernetes_validate
    import yaml
except ImportError as error:
    print(f"SKIP: python package kubernetes-validate is missing ({error})")
    sys.exit(3)

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 1
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
        - name: app
          image: example.invalid/app:1
{probes}
"""


def main() -> int:
    probes_path, k8s_version = sys.argv[1:3]
    with open(probes_path, encoding="utf-8") as f:
        probes = f.read()
    indented = "\n".join(("          " + line) if line else "" for line in probes.splitlines())
    manifest = yaml.safe_load(MANIFEST.format(probes=indented))
    container = manifest["spec"]["template"]["spec"]["containers"][0]
    parsed = {k: v for k, v in container.items() if k.endswith("Probe")}
    if sorted(parsed) != ["livenessProbe", "readinessProbe", "startupProbe"]:
        print(f"expected the three probes under the container, got {sorted(container)}", file=sys.stderr)
        return 1

    try:
        kubernetes_validate.validate(manifest, k8s_version, strict=True)
    except kubernetes_validate.ValidationError as error:
        print(f"invalid manifest: {error.message} at {list(error.path)}", file=sys.stderr)
        return 1

    broken = copy.deepcopy(manifest)
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["periodSeconds"] = "ten"
    try:
        kubernetes_validate.validate(broken, k8s_version, strict=True)
        print("the validator accepted a broken probe: it checks nothing", file=sys.stderr)
        return 1
    except kubernetes_validate.ValidationError:
        pass

    print(json.dumps({
        "kubernetes_validate": version("kubernetes-validate"),
        "kubernetes": k8s_version,
        "probes": parsed,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
