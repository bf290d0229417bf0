"""Drive a sandbox cluster with the official Kubernetes Python client (Debian's python3-kubernetes).

Usage: /usr/bin/python3 scenarios.py KUBECONFIG NAMESPACE
Prints one JSON object: what each scenario observed (the Jest spec asserts on it).
"""
import json
import sys
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException
from kubernetes.dynamic import DynamicClient

kubeconfig, ns = sys.argv[1], sys.argv[2]
api_client = config.new_client_from_config(config_file=kubeconfig)
core = client.CoreV1Api(api_client)
apps = client.AppsV1Api(api_client)
out = {}


def until(what, fn, timeout=15.0):
    deadline = time.time() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.time() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


def cm(name, data=None):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name), data=data or {"a": "1"})


# list
for i in range(3):
    core.create_namespaced_config_map(ns, cm("listed-%d" % i))
listed = core.list_namespaced_config_map(ns, label_selector="")
out["list"] = {
    "names": sorted(c.metadata.name for c in listed.items),
    "resourceVersion": listed.metadata.resource_version,
}

# watch from a resourceVersion: events after it arrive, nothing before it
rv = listed.metadata.resource_version
core.create_namespaced_config_map(ns, cm("watched"))
core.patch_namespaced_config_map("watched", ns, {"data": {"a": "2"}})
events = []
for ev in watch.Watch().stream(core.list_namespaced_config_map, ns, resource_version=rv, timeout_seconds=2):
    events.append([ev["type"], ev["object"].metadata.name])
    if len(events) == 2:
        break
out["watch"] = events

# watch from a compacted resourceVersion: 410, then relist and watch again
for i in range(40):
    core.create_namespaced_config_map(ns, cm("churn-%d" % i))
gone = None
try:
    for ev in watch.Watch().stream(core.list_namespaced_config_map, ns, resource_version="2", timeout_seconds=2):
        if ev["type"] == "ERROR":
            gone = ev["raw_object"].get("code")
            break
except ApiException as e:
    gone = e.status
relisted = core.list_namespaced_config_map(ns)
core.create_namespaced_config_map(ns, cm("after-relist"))
after = None
for ev in watch.Watch().stream(core.list_namespaced_config_map, ns, resource_version=relisted.metadata.resource_version, timeout_seconds=2):
    after = [ev["type"], ev["object"].metadata.name]
    break
out["watch410"] = {"gone": gone, "after": after}

# server-side apply: a second manager conflicts (409) unless it forces (force=True on the wire)
dyn = DynamicClient(api_client)
cms = dyn.resources.get(api_version="v1", kind="ConfigMap")
body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied", "namespace": ns}, "data": {"a": "1"}}


def apply(manager, force=None):
    # python3-kubernetes 22's REST layer sends only JSON content types from dicts; a serialised
    # body goes out as-is (JSON is YAML), which is how apply-patch+yaml gets through.
    return cms.server_side_apply(body=json.dumps(body), name="applied", namespace=ns, field_manager=manager, force_conflicts=force)


apply("first")
body["data"]["a"] = "2"
try:
    apply("second")
    conflict = None
except ApiException as e:
    conflict = e.status
forced = apply("second", force=True)
managers = sorted(m.manager for m in core.read_namespaced_config_map("applied", ns).metadata.managed_fields)
out["ssa"] = {"conflict": conflict, "forced": forced.data["a"], "managers": managers}

# scale subresource
labels = {"app": "py"}
dep = client.V1Deployment(
    metadata=client.V1ObjectMeta(name="py", labels=labels),
    spec=client.V1DeploymentSpec(
        replicas=1,
        selector=client.V1LabelSelector(match_labels=labels),
        template=client.V1PodTemplateSpec(
            metadata=client.V1ObjectMeta(labels=labels),
            spec=client.V1PodSpec(containers=[client.V1Container(name="app", image="nginx:1.27")]),
        ),
    ),
)
apps.create_namespaced_deployment(ns, dep)
apps.patch_namespaced_deployment_scale("py", ns, {"spec": {"replicas": 3}})
scale = apps.read_namespaced_deployment_scale("py", ns)
ready = until("3 available", lambda: (apps.read_namespaced_deployment("py", ns).status.available_replicas or 0) == 3)
out["scale"] = {"spec": scale.spec.replicas, "available": ready}


def replicasets(name):
    return [rs for rs in apps.list_namespaced_replica_set(ns, label_selector="app=" + name).items]


def make(name):
    d = client.V1Deployment(
        metadata=client.V1ObjectMeta(name=name, labels={"app": name}),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": name}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": name}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="app", image="nginx:1.27")]),
            ),
        ),
    )
    apps.create_namespaced_deployment(ns, d)
    until(name + " replicaset", lambda: replicasets(name))


# delete with propagation
deletion = {}
make("orphan")
apps.delete_namespaced_deployment("orphan", ns, body=client.V1DeleteOptions(propagation_policy="Orphan"))
until("orphan deployment gone", lambda: not [d for d in apps.list_namespaced_deployment(ns).items if d.metadata.name == "orphan"])
left = replicasets("orphan")
deletion["Orphan"] = {"replicasets": len(left), "ownerReferences": [len(rs.metadata.owner_references or []) for rs in left]}

make("background")
apps.delete_namespaced_deployment("background", ns, body=client.V1DeleteOptions(propagation_policy="Background"))
deletion["Background"] = {"replicasetsGone": until("background replicasets gone", lambda: not replicasets("background"))}

make("foreground")
since = apps.list_namespaced_deployment(ns).metadata.resource_version
apps.delete_namespaced_deployment("foreground", ns, body=client.V1DeleteOptions(propagation_policy="Foreground"))
# The owner stays, marked for deletion with the foregroundDeletion finalizer, until its dependents are gone.
seen = []
for ev in watch.Watch().stream(apps.list_namespaced_deployment, ns, resource_version=since, field_selector="metadata.name=foreground", timeout_seconds=10):
    meta = ev["object"].metadata
    entry = [ev["type"], meta.finalizers or [], meta.deletion_timestamp is not None]
    if not seen or seen[-1] != entry:  # status writes while it winds down repeat the same state
        seen.append(entry)
    if ev["type"] == "DELETED":
        break
deletion["Foreground"] = {"events": seen, "replicasetsGone": not replicasets("foreground")}
out["delete"] = deletion

print(json.dumps(out))
