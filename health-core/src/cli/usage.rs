//! The usage text of the `config` commands.

/// The usage of `program config ...`: every command, then the exit codes.
pub(super) fn usage(program: &str) -> String {
    format!(
        "Usage: {program} config <command>

Commands:
  example            print a .env.example: every variable with its docs, type and default
  markdown           print a Markdown table of every variable
  schema             print a JSON Schema (draft 2020-12) of the environment
  probes [--port N | --port-from VARIABLE]
                     print Kubernetes startup, readiness and liveness probes that agree
                     with the service's checks, on the port of VARIABLE (a name or
                     field path), else of the variable marked probe_port, else of the
                     contract's PORT variable (after the prefix)
  check              check the process environment (over ./.env when present): one line
                     per variable; exit 0 when ready, 1 when not
  verify FILE... [--container NAME] [--strict | --allow-unverified] [--format json]
                     check a deploy's Kubernetes manifests, Compose or .env files (- for
                     standard input) against the contract: where each variable comes
                     from, and whether its value is valid; exit 0 when every variable is
                     provided and valid, 1 when not, 2 when a file cannot be read. A
                     Secret or ConfigMap the workload names must be among the files,
                     unless --allow-unverified (created elsewhere: a warning); --strict
                     fails every value only known at run time
  help               print this help

Exit codes: 0 done or ready, 1 not ready, 2 usage error.
"
    )
}
