//! Kubernetes workloads and their containers: where each kind keeps its pod template
//! (Deployment, StatefulSet, DaemonSet, ReplicaSet and Job under `spec.template`, CronJob
//! under `spec.jobTemplate.spec.template`, a Pod in its own `spec`), and the `containers`
//! and `initContainers` in it, with their `env`, `envFrom` and `volumeMounts` (and the pod's
//! `volumes`) kept for later.

use super::error::VerifyError;
use super::objects::{metadata, string};
use super::provenance::Location;
use super::yaml::Node;

/// The workload kinds read; any other kind is left alone.
pub(crate) const KINDS: [&str; 7] = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "Pod",
];

/// One container of a workload.
pub(crate) struct Container {
    /// `Deployment/voxflow`.
    pub(crate) workload: String,
    pub(crate) namespace: Option<String>,
    pub(crate) name: String,
    /// An init container.
    pub(crate) init: bool,
    /// The line of its name.
    pub(crate) at: Location,
    pub(crate) env: Option<Node>,
    pub(crate) env_from: Option<Node>,
    /// Its `volumeMounts`.
    pub(crate) volume_mounts: Option<Node>,
    /// The pod's `volumes`, which its mounts name.
    pub(crate) volumes: Option<Node>,
}

impl Container {
    /// `Deployment/voxflow/app`: what `--container` accepts besides the bare name.
    pub(crate) fn qualified(&self) -> String {
        format!(
            "{}/{}",
            self.workload.split_once('/').map_or("", |(_, n)| n),
            self.name
        )
    }
}

/// The pod spec of a workload document of kind `kind`.
fn pod_spec<'a>(kind: &str, doc: &'a Node) -> Option<&'a Node> {
    let spec = doc.get("spec")?;
    match kind {
        "Pod" => Some(spec),
        "CronJob" => spec
            .get("jobTemplate")?
            .get("spec")?
            .get("template")?
            .get("spec"),
        _ => spec.get("template")?.get("spec"),
    }
}

/// The containers (then the init containers) of a workload document.
pub(crate) fn containers(
    kind: &str,
    doc: &Node,
    file: &str,
) -> Result<Vec<Container>, VerifyError> {
    let (name, namespace, _) = metadata(doc, file, kind)?;
    let workload = format!("{kind}/{name}");
    let Some(spec) = pod_spec(kind, doc) else {
        return Ok(Vec::new());
    };
    let volumes = spec.get("volumes").filter(|n| !n.is_null()).cloned();
    let mut out = Vec::new();
    for (field, init) in [("containers", false), ("initContainers", true)] {
        let Some(list) = spec.get(field).filter(|n| !n.is_null()) else {
            continue;
        };
        let Some(items) = list.items() else {
            return Err(VerifyError::manifest(
                file,
                list.line,
                format!("`{field}` of {workload} is not a list"),
            ));
        };
        for item in items {
            let Some(name_node) = item.get("name") else {
                return Err(VerifyError::manifest(
                    file,
                    item.line,
                    format!("a container of {workload} has no name"),
                ));
            };
            let name = string(name_node, file, "a container's name")?.to_owned();
            out.push(Container {
                workload: workload.clone(),
                namespace: namespace.clone(),
                name,
                init,
                at: Location::new(file, name_node.line),
                env: item.get("env").filter(|n| !n.is_null()).cloned(),
                env_from: item.get("envFrom").filter(|n| !n.is_null()).cloned(),
                volume_mounts: item.get("volumeMounts").filter(|n| !n.is_null()).cloned(),
                volumes: volumes.clone(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::yaml::parse;

    fn names(text: &str) -> Vec<(String, bool, usize)> {
        let doc = &parse(text).unwrap()[0];
        let kind = doc.get("kind").and_then(Node::scalar).unwrap().to_owned();
        containers(&kind, doc, "w.yaml")
            .unwrap()
            .into_iter()
            .map(|c| (c.qualified(), c.init, c.at.line))
            .collect()
    }

    #[test]
    fn every_kind_keeps_its_pod_template_where_kubernetes_does() {
        let template = "template:\n      spec:\n        containers:\n          - name: app\n";
        for kind in [
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "Job",
        ] {
            let text = format!("kind: {kind}\nmetadata:\n  name: w\nspec:\n    {template}");
            assert_eq!(names(&text), [("w/app".to_owned(), false, 8)], "{kind}");
        }
        let cron = "kind: CronJob\nmetadata:\n  name: nightly\nspec:\n  jobTemplate:\n    spec:\n      \
                    template:\n        spec:\n          initContainers:\n            - name: migrate\n          \
                    containers:\n            - name: job\n";
        assert_eq!(
            names(cron),
            [
                ("nightly/job".to_owned(), false, 12),
                ("nightly/migrate".to_owned(), true, 10)
            ]
        );
        let pod =
            "kind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: one}, {name: two}]\n";
        assert_eq!(names(pod).len(), 2);
    }

    #[test]
    fn a_container_without_a_name_is_refused() {
        let doc = &parse("kind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - image: x\n")
            .unwrap()[0];
        let err = containers("Pod", doc, "w.yaml").err().unwrap();
        assert_eq!(
            err.to_string(),
            "w.yaml:6: a container of Pod/p has no name"
        );
    }
}
