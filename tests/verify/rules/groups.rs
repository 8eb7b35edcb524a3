//! Optional groups in the Kubernetes files: half set, each missing member is named with what
//! switched the group on; switched off in the manifest, its members are not required; switched
//! from run time, or possibly on through an unseen object, its members are `unverified`.

use health::Status;

use super::{UNSEEN, entry, run, store};

#[test]
fn an_optional_group_half_set_names_each_missing_member() {
    let no_user = (
        "            - name: STORE_MAIL_USER\n              valueFrom:\n                configMapKeyRef:\n                  name: store-config\n                  key: mail-user\n",
        "",
    );
    let v = run(&store(&[no_user]));
    let user = entry(&v, "STORE_MAIL_USER");
    assert_eq!(
        (user.status(), user.code().map(|c| c.as_str())),
        (Status::Fail, Some("missing"))
    );
    assert!(
        user.message()
            .unwrap()
            .contains("the `mail` group is on because `STORE_MAIL_HOST` is set"),
        "{:?}",
        user.message()
    );
    // The host from a Secret outside the files is set all the same: the group is on.
    let v = run(&store(&[
        no_user,
        (
            "value: smtp.example.com",
            "valueFrom:\n                secretKeyRef:\n                  name: smtp\n                  key: host",
        ),
    ]));
    let user = entry(&v, "STORE_MAIL_USER");
    assert_eq!(user.code().map(|c| c.as_str()), Some("missing"));
    assert_eq!(user.status(), Status::Fail);
}

#[test]
fn a_group_switched_from_run_time_leaves_its_members_unverified() {
    // Switched off in the manifest: the sink's URL is not required, and ignored when set.
    let v = run(&store(&[]));
    assert_eq!(entry(&v, "STORE_AUDIT_URL").status(), Status::Pass);
    let ignored = run(&store(&[(
        "value: \"false\"\n---",
        "value: \"false\"\n            - name: STORE_AUDIT_URL\n              value: https://audit.example.com\n---",
    )]));
    let url = entry(&ignored, "STORE_AUDIT_URL");
    assert_eq!(url.code().map(|c| c.as_str()), Some("ignored"));
    // The switch from a ConfigMap outside the files: the URL may be required.
    let v = run(&store(&[(
        "- name: STORE_AUDIT\n              value: \"false\"\n",
        "- name: STORE_AUDIT\n              valueFrom:\n                configMapKeyRef:\n                  name: store-flags\n                  key: audit\n",
    )]));
    let url = entry(&v, "STORE_AUDIT_URL");
    assert_eq!(url.status(), Status::Warn);
    assert_eq!(url.code().map(|c| c.as_str()), Some("unverified"));
    assert!(
        url.message().unwrap().contains(
            "the `audit_sink` group may be on or off: `STORE_AUDIT` comes from ConfigMap \
             `store-flags` (not in the files)"
        ),
        "{:?}",
        url.message()
    );
}

#[test]
fn a_group_an_unseen_object_may_switch_on_leaves_its_members_unverified() {
    let mail = "            - name: STORE_MAIL_HOST\n              value: smtp.example.com\n            - name: STORE_MAIL_USER\n              valueFrom:\n                configMapKeyRef:\n                  name: store-config\n                  key: mail-user\n            - name: STORE_MAIL_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: store-secrets\n                  key: mail-password\n";
    // No mail variable in the files and nothing else: the group is off.
    let v = run(&store(&[(mail, "")]));
    for name in ["STORE_MAIL_HOST", "STORE_MAIL_USER", "STORE_MAIL_PASSWORD"] {
        assert_eq!(entry(&v, name).status(), Status::Pass, "{name}");
    }
    // The unseen Secret may set any of them: each required one may be missing.
    let v = run(&store(&[UNSEEN[0], (mail, "")]));
    for name in ["STORE_MAIL_HOST", "STORE_MAIL_USER", "STORE_MAIL_PASSWORD"] {
        let e = entry(&v, name);
        assert_eq!(e.code().map(|c| c.as_str()), Some("unverified"), "{name}");
        assert!(
            e.message().unwrap().contains("Secret `store-external`"),
            "{:?}",
            e.message()
        );
    }
}
