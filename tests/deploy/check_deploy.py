#!/usr/bin/python3
"""Offline checks of deploy/: the Dockerfile and the Kubernetes manifests.

Needs no cluster and no container engine. Every overlay under
deploy/k8s/overlays/ is rendered with `kubectl kustomize` when kubectl is
given; without it, the base's resource files are read directly. Each problem
is reported as `<where>: <what is wrong>` and the exit status is 1 if any.

Usage: check_deploy.py --root=REPO [--kubectl=PATH]
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys

import yaml

SERVICE_NAME = "factgraph.v1.FactGraphService"
SERVER_BINARY = "factgraphd"
PROXY_BINARY = "nginx"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
# factgraphd's defaults when a flag is absent.
DEFAULT_LISTEN_PORT = 50051
DEFAULT_SHUTDOWN_GRACE_S = 10.0
DEFAULT_MEMORY_QUOTA_BYTES = 1 << 30
# gRPC's call memory may take at most this share of the container's memory
# limit; the rest holds the snapshots and the process (README "Limits").
MAX_QUOTA_SHARE_OF_LIMIT = 0.5
DEBIAN_12_IMAGES = re.compile(r"^(docker\.io/(library/)?)?debian:(12|bookworm)(\.\d+)?(-slim)?(-\d+)?(@sha256:[0-9a-f]{64})?$")

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(h|ms|us|ns|m|s)")
_DURATION_UNIT_S = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}


def parse_duration_seconds(text):
    """Parses an Abseil duration flag ("10s", "1m30s", "500ms") to seconds."""
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {text!r}")
    return sum(float(n) * _DURATION_UNIT_S[u] for n, u in parts)


_CPU = re.compile(r"^(\d+(?:\.\d+)?)(m?)$")
_MEMORY = re.compile(r"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$")
_MEMORY_UNIT = {None: 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
                "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}


def parse_quantity(resource, value):
    """Parses a Kubernetes cpu or memory quantity to cores or bytes."""
    text = str(value)
    if resource == "cpu":
        match = _CPU.match(text)
        if match:
            return float(match.group(1)) / (1000.0 if match.group(2) else 1.0)
    else:
        match = _MEMORY.match(text)
        if match:
            return float(match.group(1)) * _MEMORY_UNIT[match.group(2)]
    raise ValueError(f"not a {resource} quantity: {text!r}")


def flag_values(args):
    """Maps `--name=value` arguments to {name: value}."""
    flags = {}
    for arg in args or []:
        match = re.match(r"^--([A-Za-z0-9_]+)=(.*)$", str(arg))
        if match:
            flags[match.group(1)] = match.group(2)
    return flags


def listen_port(flags):
    listen = flags.get("listen")
    if listen is None:
        return DEFAULT_LISTEN_PORT
    return int(listen.rsplit(":", 1)[1])


# ---------------------------------------------------------------- Dockerfile


class Instruction:
    def __init__(self, line, keyword, arguments):
        self.line = line
        self.keyword = keyword
        self.arguments = arguments


def parse_dockerfile(text):
    """Returns the instructions, continuation lines joined, comments dropped."""
    instructions = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        pending += stripped
        keyword, _, arguments = pending.partition(" ")
        instructions.append(Instruction(start, keyword.upper(), arguments.strip()))
        pending = ""
    if pending:
        keyword, _, arguments = pending.partition(" ")
        instructions.append(Instruction(start, keyword.upper(), arguments.strip()))
    return instructions


def _exec_form(arguments):
    try:
        value = json.loads(arguments)
    except json.JSONDecodeError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def check_dockerfile(text, where):
    """Returns (errors, facts) where facts holds what the manifests must match."""
    errors = []
    facts = {}
    stages = []  # [(name, base, [instructions])]
    for instruction in parse_dockerfile(text):
        if instruction.keyword == "FROM":
            words = [w for w in instruction.arguments.split() if not w.startswith("--")]
            base = words[0]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            known = {s[0] for s in stages if s[0]}
            # scratch holds only what the stage copies from the others.
            if base not in known and base != "scratch" and not DEBIAN_12_IMAGES.match(base):
                errors.append(f"{where}:{instruction.line}: stage base {base} is not Debian 12")
            stages.append((name, base, [instruction]))
        elif stages:
            stages[-1][2].append(instruction)
        elif instruction.keyword != "ARG":
            errors.append(f"{where}:{instruction.line}: {instruction.keyword} before the first FROM")
    if len(stages) < 2:
        errors.append(f"{where}: not multi-stage ({len(stages)} FROM); the runtime image must not hold the toolchain")
        return errors, facts

    build_stages = stages[:-1]
    runtime_name, _, runtime = stages[-1]
    final_line = runtime[0].line
    build_runs = " ".join(i.arguments for _, _, body in build_stages for i in body if i.keyword == "RUN")
    if "scripts/setup.sh" not in build_runs:
        errors.append(f"{where}: no build stage runs scripts/setup.sh, so its packages may differ from the setup step")

    runtime_runs = " ".join(i.arguments for i in runtime if i.keyword == "RUN")
    # A scratch runtime has no shell to RUN with: a build stage may instead
    # start factgraphd chrooted in the root file system it copies into the image.
    chroot_check = re.search(r"check-seeds-load\.sh\s+--root=", build_runs)
    if "check-seeds-load.sh" not in runtime_runs and not chroot_check:
        errors.append(f"{where}:{final_line}: neither the runtime stage nor a build stage in its root file system (check-seeds-load.sh --root=) starts factgraphd on its seeds, so an image with a refused knowledge base could be built")

    users = [i for i in runtime if i.keyword == "USER"]
    if not users:
        errors.append(f"{where}:{final_line}: the runtime stage sets no USER, so it runs as root")
    else:
        user = users[-1].arguments.split(":")[0]
        if not user.isdigit():
            errors.append(f"{where}:{users[-1].line}: USER {user} is not numeric; Kubernetes cannot verify runAsNonRoot for a user name")
        elif int(user) == 0:
            errors.append(f"{where}:{users[-1].line}: USER is root (uid 0)")
        else:
            facts["uid"] = int(user)

    entrypoints = [i for i in runtime if i.keyword == "ENTRYPOINT"]
    if not entrypoints:
        errors.append(f"{where}:{final_line}: the runtime stage has no ENTRYPOINT")
    else:
        entrypoint = _exec_form(entrypoints[-1].arguments)
        if entrypoint is None:
            errors.append(f"{where}:{entrypoints[-1].line}: ENTRYPOINT is in shell form; SIGTERM would reach /bin/sh, not {SERVER_BINARY}")
        elif os.path.basename(entrypoint[0]) != SERVER_BINARY:
            errors.append(f"{where}:{entrypoints[-1].line}: ENTRYPOINT runs {entrypoint[0]}, not {SERVER_BINARY}")
        else:
            facts["entrypoint"] = entrypoint[0]

    build_names = {name for name, _, _ in build_stages if name} | {str(i) for i in range(len(build_stages))}
    copies = [shlex.split(i.arguments) for i in runtime if i.keyword == "COPY"]
    copied_from_build = [words for words in copies
                         if any(w.startswith("--from=") and w.split("=", 1)[1] in build_names for w in words)]
    binary_copied = any(words[-1] == facts.get("entrypoint") for words in copied_from_build)
    if "entrypoint" in facts and not binary_copied:
        errors.append(f"{where}:{final_line}: {facts['entrypoint']} is not copied from a build stage")
    for words in copied_from_build:
        if any(os.path.basename(w.rstrip("/")) in ("seeds", "snapshot.binpb") for w in words[:-1]):
            facts["seeds"] = words[-1].rstrip("/")
    if "seeds" not in facts:
        errors.append(f"{where}:{final_line}: the runtime stage copies no seeds or snapshot from a build stage")

    for toolchain in ("build-essential", "cmake", "g++", "scripts/setup.sh"):
        if re.search(rf"(^|\s){re.escape(toolchain)}(\s|$)", runtime_runs):
            errors.append(f"{where}:{final_line}: the runtime stage installs or runs {toolchain}")
    for package in re.findall(r"(?:^|\s)(\S+-dev)(?=\s|$)", runtime_runs):
        errors.append(f"{where}:{final_line}: the runtime stage installs development package {package}")

    exposed = [i for i in runtime if i.keyword == "EXPOSE"]
    ports = {int(p.split("/")[0]) for i in exposed for p in i.arguments.split()}
    cmds = [i for i in runtime if i.keyword == "CMD"]
    cmd = _exec_form(cmds[-1].arguments) if cmds else []
    flags = flag_values(cmd or [])
    facts["listen_port"] = listen_port(flags)
    if facts["listen_port"] not in ports:
        errors.append(f"{where}:{final_line}: the server listens on {facts['listen_port']} but the image EXPOSEs {sorted(ports)}")
    if "seeds" in flags and "seeds" in facts and flags["seeds"] != facts["seeds"]:
        errors.append(f"{where}:{cmds[-1].line}: CMD serves --seeds={flags['seeds']} but the seeds are copied to {facts['seeds']}")
    facts["healthcheck"] = any(i.keyword == "HEALTHCHECK" and i.arguments.upper() != "NONE" for i in runtime)

    # nginx's configuration, rendered from deploy/nginx's one template into
    # the root file system the runtime stage copies (/rootfs).
    rendered = re.search(r"render-conf\.sh\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(?!>)(\S+))?\s*>\s*/rootfs(/\S+)",
                         build_runs)
    if not rendered:
        errors.append(f"{where}: no build stage renders deploy/nginx/factgraph-grpc.conf.template into the image "
                      "(render-conf.sh ... > /rootfs/...), so no proxy holds HTTP/2 rapid reset in front of "
                      f"{SERVER_BINARY}")
    else:
        directory, listen, backend, _, conf = rendered.groups()
        facts["proxy"] = {"dir": directory, "listen_port": int(listen.rsplit(":", 1)[1]),
                          "backend": backend, "conf": conf}
    return errors, facts


# --------------------------------------------------------------- Kubernetes


def _name(doc):
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


def _selects(selector, labels):
    """True when a non-empty matchLabels selector selects `labels`."""
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def _pod_labels(deployment):
    return deployment.get("spec", {}).get("template", {}).get("metadata", {}).get("labels", {}) or {}


def _containers(deployment):
    return deployment.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []) or []


def _init_containers(deployment):
    return deployment.get("spec", {}).get("template", {}).get("spec", {}).get("initContainers", []) or []


def _runs(container, binary):
    command = container.get("command") or []
    return bool(command) and os.path.basename(str(command[0])) == binary


def _host_of(listen):
    return listen.rsplit(":", 1)[0]


def _prestop_seconds(container):
    command = container.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command") or []
    if command and os.path.basename(command[0]) == "sleep" and len(command) == 2:
        return float(command[1])
    sleep = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {})
    return float(sleep.get("seconds", 0))


def _check_container(container, where, security_context, pod_ports, proxy):
    """One factgraphd container; `pod_ports` are the container ports of the
    whole pod, `proxy` the image's nginx facts when nginx runs in the pod."""
    errors = []
    name = f"{where} container {container.get('name')}"
    ports = {p["containerPort"]: p.get("name") for p in container.get("ports", []) or []}
    flags = flag_values(container.get("args"))
    if not any(os.path.basename(str(w)) == SERVER_BINARY for w in container.get("command") or []) and container.get("command"):
        errors.append(f"{name}: command {container['command']} replaces the {SERVER_BINARY} entrypoint")
    port = listen_port(flags)
    if proxy:
        listen = flags.get("listen", f"0.0.0.0:{DEFAULT_LISTEN_PORT}")
        if _host_of(listen) not in LOOPBACK_HOSTS:
            errors.append(f"{name}: --listen={listen} is reachable from outside the pod, past nginx; "
                          f"listen on {proxy['backend']}, where the image's nginx sends calls")
        elif port != int(proxy["backend"].rsplit(":", 1)[1]):
            errors.append(f"{name}: --listen={listen}, but the image's nginx sends calls to {proxy['backend']}")
    elif port not in ports:
        errors.append(f"{name}: --listen port {port} is not a containerPort {sorted(ports)}")

    for probe_kind in ("readinessProbe", "livenessProbe", "startupProbe"):
        probe = container.get(probe_kind)
        if probe is None:
            if probe_kind != "startupProbe":
                errors.append(f"{name}: no {probe_kind}")
            continue
        grpc = probe.get("grpc")
        if grpc is None:
            errors.append(f"{name}: {probe_kind} does not use the gRPC health service")
            continue
        if grpc.get("port") not in pod_ports:
            errors.append(f"{name}: {probe_kind} gRPC port {grpc.get('port')} is not a containerPort {sorted(pod_ports)}")
        if grpc.get("service", "") not in ("", SERVICE_NAME):
            errors.append(f"{name}: {probe_kind} asks the health of unknown service {grpc.get('service')!r}")
    readiness = (container.get("readinessProbe") or {}).get("grpc") or {}
    if readiness and readiness.get("service", "") != SERVICE_NAME:
        errors.append(f"{name}: readinessProbe must ask for {SERVICE_NAME}, which turns NOT_SERVING when draining")

    errors += _check_memory_quota(container, flags, name)
    errors += _check_monitoring(container, flags, ports, name)
    errors += _check_hooks(container, name)
    return errors + _check_confinement(container, name, security_context)


# The only programs in the image (no shell, no coreutils: deploy/make-rootfs.sh).
IMAGE_PROGRAMS = ("/usr/local/bin/factgraphd", "/usr/sbin/nginx")


def _check_hooks(container, name):
    """An exec hook must run a program the image holds."""
    errors = []
    for hook in ("preStop", "postStart"):
        command = ((container.get("lifecycle") or {}).get(hook) or {}).get("exec", {}).get("command") or []
        if command and command[0] not in IMAGE_PROGRAMS:
            errors.append(f"{name}: the {hook} hook runs {command[0]}, which the image does not hold "
                          f"(it holds {', '.join(IMAGE_PROGRAMS)}); the kubelet's own "
                          "lifecycle sleep needs no program")
    return errors


def _check_confinement(container, name, security_context):
    """Resources and security context, for every container of the pod."""
    errors = []
    resources = container.get("resources", {}) or {}
    for resource in ("cpu", "memory"):
        request = (resources.get("requests") or {}).get(resource)
        limit = (resources.get("limits") or {}).get(resource)
        if request is None:
            errors.append(f"{name}: no {resource} request")
        if limit is None:
            errors.append(f"{name}: no {resource} limit")
        if request is not None and limit is not None:
            try:
                if parse_quantity(resource, request) > parse_quantity(resource, limit):
                    errors.append(f"{name}: {resource} request {request} exceeds its limit {limit}")
            except ValueError as error:
                errors.append(f"{name}: {error}")

    context = container.get("securityContext", {}) or {}
    if context.get("readOnlyRootFilesystem") is not True:
        errors.append(f"{name}: the root file system is not read-only")
    if context.get("allowPrivilegeEscalation") is not False:
        errors.append(f"{name}: allowPrivilegeEscalation is not false")
    if context.get("runAsNonRoot", security_context.get("runAsNonRoot")) is not True:
        errors.append(f"{name}: runAsNonRoot is not set")
    if context.get("runAsUser", security_context.get("runAsUser")) == 0:
        errors.append(f"{name}: runs as uid 0")
    if str(container.get("image", "")).endswith(":latest"):
        errors.append(f"{name}: image {container['image']} is not pinned (:latest)")
    return errors


def _check_proxy(pod, deployment, name, facts):
    """nginx in front of factgraphd: gRPC 1.51 alone does not hold an HTTP/2
    rapid-reset flood (SECURITY.md "Holding under abuse")."""
    proxies = [c for c in _containers(deployment) + _init_containers(deployment) if _runs(c, PROXY_BINARY)]
    if not proxies:
        return [f"{name}: no {PROXY_BINARY} in front of {SERVER_BINARY} (deploy/nginx): gRPC 1.51 alone does not "
                "hold an HTTP/2 rapid-reset flood (SECURITY.md)"], None
    errors = []
    proxy = proxies[0]
    where = f"{name} container {proxy.get('name')}"
    if proxy not in _init_containers(deployment) or proxy.get("restartPolicy") != "Always":
        errors.append(f"{where}: not a native sidecar (initContainers, restartPolicy: Always), so it is stopped "
                      f"together with {SERVER_BINARY} and cuts the calls {SERVER_BINARY} drains")
    image_proxy = facts.get("proxy")
    if image_proxy is None:
        return errors, None
    args = [str(a) for a in proxy.get("args") or []]
    conf = args[args.index("-c") + 1] if "-c" in args[:-1] else None
    if conf != image_proxy["conf"]:
        errors.append(f"{where}: runs the configuration {conf}, not the image's {image_proxy['conf']} "
                      "(rendered from deploy/nginx/factgraph-grpc.conf.template)")
    if "daemon off;" not in args:
        errors.append(f"{where}: without -g 'daemon off;' nginx leaves the foreground and the container ends")
    ports = [p.get("containerPort") for p in proxy.get("ports", []) or []]
    if image_proxy["listen_port"] not in ports:
        errors.append(f"{where}: the image's nginx listens on {image_proxy['listen_port']}, "
                      f"not a containerPort {sorted(ports)}")
    mounts = {m.get("mountPath", "").rstrip("/") for m in proxy.get("volumeMounts", []) or []}
    if image_proxy["dir"].rstrip("/") not in mounts:
        errors.append(f"{where}: nothing is mounted at {image_proxy['dir']}, where nginx writes its pid file and "
                      "buffers (the root file system is read-only)")
    errors += _check_hooks(proxy, where)
    if proxy.get("livenessProbe") is None:
        errors.append(f"{where}: no livenessProbe")
    errors += _check_confinement(proxy, where, pod.get("securityContext", {}) or {})
    return errors, {**image_proxy, "container": proxy}


def _check_memory_quota(container, flags, name):
    """gRPC's memory quota must sit well inside the container's limit, or the
    pod is OOM-killed before gRPC ever answers RESOURCE_EXHAUSTED."""
    limit = ((container.get("resources") or {}).get("limits") or {}).get("memory")
    if limit is None:
        return []
    try:
        limit_bytes = parse_quantity("memory", limit)
        quota = int(flags.get("memory_quota_bytes", DEFAULT_MEMORY_QUOTA_BYTES))
    except ValueError as error:
        return [f"{name}: {error}"]
    if quota > limit_bytes * MAX_QUOTA_SHARE_OF_LIMIT:
        return [f"{name}: --memory_quota_bytes {quota} is more than {MAX_QUOTA_SHARE_OF_LIMIT:g} of the "
                f"memory limit {limit} ({int(limit_bytes)} bytes): the pod would be OOM-killed before "
                "gRPC refuses calls"]
    return []


def monitoring_port(flags):
    listen = flags.get("monitoring_listen")
    return int(listen.rsplit(":", 1)[1]) if listen else None


def _check_monitoring(container, flags, ports, name):
    port = monitoring_port(flags)
    if port is None:
        return [f"{name}: no --monitoring_listen, so Prometheus cannot scrape /metrics"]
    errors = []
    if port == listen_port(flags):
        errors.append(f"{name}: --monitoring_listen shares the gRPC port {port}")
    if port not in ports:
        errors.append(f"{name}: --monitoring_listen port {port} is not a containerPort {sorted(ports)}")
    return errors


def _check_scraping(deployment, docs_by_kind, where, rules_groups):
    """Annotations, ServiceMonitor and PrometheusRule point at what serves."""
    errors = []
    name = f"{where}: {_name(deployment)}"
    template = deployment.get("spec", {}).get("template", {})
    annotations = template.get("metadata", {}).get("annotations", {}) or {}
    monitoring_ports = {monitoring_port(flag_values(c.get("args"))) for c in _containers(deployment)} - {None}
    if annotations.get("prometheus.io/scrape") != "true":
        errors.append(f"{name}: no prometheus.io/scrape: \"true\" pod annotation")
    elif not annotations.get("prometheus.io/port", "").isdigit() or \
            int(annotations["prometheus.io/port"]) not in monitoring_ports:
        errors.append(f"{name}: prometheus.io/port {annotations.get('prometheus.io/port')!r} is not the "
                      f"--monitoring_listen port {sorted(monitoring_ports)}")
    labels = _pod_labels(deployment)
    services = docs_by_kind.get("Service", [])
    for monitor in docs_by_kind.get("ServiceMonitor", []):
        selector = monitor.get("spec", {}).get("selector", {}).get("matchLabels", {})
        selected = [s for s in services if _selects(selector, s.get("metadata", {}).get("labels", {}))]
        if len(selected) != 1:
            errors.append(f"{where}: {_name(monitor)} selects {len(selected)} Services; one scrape per pod needs exactly one")
            continue
        service_ports = {p.get("name"): p for p in selected[0].get("spec", {}).get("ports", [])}
        for endpoint in monitor.get("spec", {}).get("endpoints", []):
            port = service_ports.get(endpoint.get("port"))
            container_port = None
            if port is not None:
                target = port.get("targetPort", port.get("port"))
                for container in _containers(deployment):
                    for p in container.get("ports", []) or []:
                        if target in (p.get("name"), p.get("containerPort")):
                            container_port = p.get("containerPort")
            if container_port not in monitoring_ports:
                errors.append(f"{where}: {_name(monitor)} endpoint port {endpoint.get('port')!r} does not reach "
                              f"the --monitoring_listen port {sorted(monitoring_ports)}")
        if not _selects(selected[0].get("spec", {}).get("selector"), labels):
            errors.append(f"{where}: {_name(monitor)} scrapes {_name(selected[0])}, which does not select the pods")
    for rule in docs_by_kind.get("PrometheusRule", []):
        if rules_groups is not None and rule.get("spec", {}).get("groups") != rules_groups:
            errors.append(f"{where}: {_name(rule)} differs from deploy/monitoring/factgraph.rules.yaml")
    return errors


def _check_network_policy(deployment, docs_by_kind, where, proxy):
    """Exactly the gRPC and monitoring ports are admitted; with nginx in the
    pod, the gRPC port is nginx's."""
    labels = _pod_labels(deployment)
    policies = [p for p in docs_by_kind.get("NetworkPolicy", [])
                if _selects(p.get("spec", {}).get("podSelector", {}).get("matchLabels"), labels)]
    if not policies:
        return [f"{where}: no NetworkPolicy selects the pods of {_name(deployment)}"]
    wanted = set()
    named = {}
    if proxy:
        wanted.add(proxy["listen_port"])
    for container in _containers(deployment) + _init_containers(deployment):
        flags = flag_values(container.get("args"))
        if not proxy and not _runs(container, PROXY_BINARY):
            wanted.add(listen_port(flags))
        if monitoring_port(flags) is not None:
            wanted.add(monitoring_port(flags))
        for p in container.get("ports", []) or []:
            named[p.get("name")] = p.get("containerPort")
    errors = []
    for policy in policies:
        spec = policy.get("spec", {})
        if "Ingress" not in spec.get("policyTypes", ["Ingress"]):
            errors.append(f"{where}: {_name(policy)} does not restrict ingress")
            continue
        admitted = set()
        for rule in spec.get("ingress", []) or []:
            rule_ports = rule.get("ports")
            if not rule_ports:
                admitted.add("every port")
            for p in rule_ports or []:
                admitted.add(named.get(p.get("port"), p.get("port")))
        if admitted != wanted:
            errors.append(f"{where}: {_name(policy)} admits ports {sorted(map(str, admitted))}, "
                          f"not exactly the gRPC and monitoring ports {sorted(map(str, wanted))}")
    return errors


def _check_page_token_secret(container, pod_spec, replicas, where):
    """Replicas behind one balancer must all verify each other's page tokens."""
    path = flag_values(container.get("args")).get("page_token_secret_file")
    if path is None:
        if replicas > 1:
            return [f"{where}: no --page_token_secret_file, so a page token is only valid on the replica that issued it"]
        return []
    mounts = {m["name"]: m["mountPath"].rstrip("/") for m in container.get("volumeMounts", []) or []}
    volumes = {v["name"]: v for v in pod_spec.get("volumes", []) or []}
    for volume_name, mount_path in mounts.items():
        secret = volumes.get(volume_name, {}).get("secret")
        if secret is None or os.path.dirname(path) != mount_path:
            continue
        mode = secret.get("defaultMode", 0o644)
        group = (pod_spec.get("securityContext") or {}).get("fsGroup")
        if not mode & 0o004 and not (group is not None and mode & 0o040):
            return [f"{where}: {path} has mode {mode:04o} and no fsGroup lets the server read it"]
        return []
    return [f"{where}: --page_token_secret_file={path} is not in a mounted Secret"]


def check_manifests(docs, where, dockerfile_facts=None, rules_groups=None):
    """Returns the problems of one rendered set of manifests."""
    errors = []
    facts = dockerfile_facts or {}
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc.get("kind"), []).append(doc)
    deployments = by_kind.get("Deployment", [])
    if len(deployments) != 1:
        return [f"{where}: expected one Deployment, found {len(deployments)}"]
    deployment = deployments[0]
    name = f"{where}: {_name(deployment)}"
    spec = deployment.get("spec", {})
    pod_spec = spec.get("template", {}).get("spec", {})
    labels = _pod_labels(deployment)
    hpas = [h for h in by_kind.get("HorizontalPodAutoscaler", [])
            if h.get("spec", {}).get("scaleTargetRef", {}).get("name") == deployment["metadata"]["name"]]
    if hpas and "replicas" in spec:
        errors.append(f"{name}: sets replicas {spec['replicas']} while {_name(hpas[0])} owns the count; "
                      "every kubectl apply would reset it")
    # With an autoscaler, the count it never goes below.
    replicas = hpas[0].get("spec", {}).get("minReplicas", 1) if hpas else spec.get("replicas", 1)

    if replicas < 2:
        errors.append(f"{name}: {replicas} replica(s); a drain or a crash would stop the service")
    if not _selects(spec.get("selector", {}).get("matchLabels"), labels):
        errors.append(f"{name}: selector {spec.get('selector')} does not select the pod labels {labels}")

    containers = _containers(deployment)
    servers = [c for c in containers if not c.get("command") or SERVER_BINARY in str(c.get("command"))]
    if not servers:
        errors.append(f"{name}: no {SERVER_BINARY} container")
    pod_security = pod_spec.get("securityContext", {}) or {}
    grace = pod_spec.get("terminationGracePeriodSeconds", 30)
    proxy_errors, proxy = _check_proxy(pod_spec, deployment, name, facts)
    errors += proxy_errors
    container_ports = {}
    for container in _containers(deployment) + _init_containers(deployment):
        for port in container.get("ports", []) or []:
            container_ports[port["containerPort"]] = port
            if port.get("name"):
                container_ports[port["name"]] = port
    pod_ports = {p for p in container_ports if isinstance(p, int)}
    for container in servers:
        errors += _check_container(container, name, pod_security, pod_ports, proxy)
        flags = flag_values(container.get("args"))
        try:
            drain = parse_duration_seconds(flags.get("shutdown_grace", f"{DEFAULT_SHUTDOWN_GRACE_S:g}s"))
        except ValueError as error:
            errors.append(f"{name} container {container.get('name')}: --shutdown_grace: {error}")
            drain = DEFAULT_SHUTDOWN_GRACE_S
        prestop = _prestop_seconds(container)
        if grace <= prestop + drain:
            errors.append(f"{name}: terminationGracePeriodSeconds {grace} does not exceed the preStop sleep {prestop:g}s plus --shutdown_grace {drain:g}s")
        if "max_connection_age" not in flags:
            errors.append(f"{name} container {container.get('name')}: no --max_connection_age, so clients never rebalance onto new replicas")
        if facts.get("seeds") and "seeds" in flags and flags["seeds"] != facts["seeds"] and "snapshot" not in flags:
            errors.append(f"{name} container {container.get('name')}: --seeds={flags['seeds']} but the image holds the seeds at {facts['seeds']}")
        errors += _check_page_token_secret(container, pod_spec, replicas, f"{name} container {container.get('name')}")
        if facts.get("uid") is not None:
            uid = (container.get("securityContext") or {}).get("runAsUser", pod_security.get("runAsUser"))
            if uid is not None and uid != facts["uid"]:
                errors.append(f"{name} container {container.get('name')}: runAsUser {uid} differs from the image USER {facts['uid']}")

    services = by_kind.get("Service", [])
    # The Services clients call: any port not the monitoring one.
    metrics_targets = {"metrics"} | {monitoring_port(flag_values(c.get("args"))) for c in servers}
    serving = [s for s in services
               if any(p.get("targetPort", p.get("port")) not in metrics_targets
                      for p in s.get("spec", {}).get("ports", []) or [])]
    headless = [s for s in serving if s.get("spec", {}).get("clusterIP") == "None"]
    cluster_ip = [s for s in serving if s.get("spec", {}).get("clusterIP") != "None"
                  and s.get("spec", {}).get("type", "ClusterIP") == "ClusterIP"]
    if not headless:
        errors.append(f"{where}: no headless Service (clusterIP: None) for client-side load balancing")
    if not cluster_ip:
        errors.append(f"{where}: no ClusterIP Service")
    for service in services:
        service_name = f"{where}: {_name(service)}"
        if not _selects(service.get("spec", {}).get("selector"), labels):
            errors.append(f"{service_name}: selector {service.get('spec', {}).get('selector')} does not select the pods of {_name(deployment)} {labels}")
        for port in service.get("spec", {}).get("ports", []) or []:
            target = port.get("targetPort", port.get("port"))
            if target not in container_ports:
                errors.append(f"{service_name}: targetPort {target!r} is not a container port")

    for pdb in by_kind.get("PodDisruptionBudget", []) or [None]:
        if pdb is None:
            errors.append(f"{where}: no PodDisruptionBudget")
            break
        pdb_name = f"{where}: {_name(pdb)}"
        pdb_spec = pdb.get("spec", {})
        if not _selects(pdb_spec.get("selector", {}).get("matchLabels"), labels):
            errors.append(f"{pdb_name}: selector does not select the pods of {_name(deployment)}")
        if "minAvailable" in pdb_spec and isinstance(pdb_spec["minAvailable"], int) and pdb_spec["minAvailable"] >= replicas:
            errors.append(f"{pdb_name}: minAvailable {pdb_spec['minAvailable']} with {replicas} replicas blocks every eviction")
        if pdb_spec.get("maxUnavailable") == 0:
            errors.append(f"{pdb_name}: maxUnavailable 0 blocks every eviction")

    for hpa in by_kind.get("HorizontalPodAutoscaler", []) or [None]:
        if hpa is None:
            errors.append(f"{where}: no HorizontalPodAutoscaler")
            break
        hpa_name = f"{where}: {_name(hpa)}"
        hpa_spec = hpa.get("spec", {})
        target = hpa_spec.get("scaleTargetRef", {})
        if target.get("kind") != "Deployment" or target.get("name") != deployment["metadata"]["name"]:
            errors.append(f"{hpa_name}: scaleTargetRef {target.get('kind')}/{target.get('name')} is not {_name(deployment)}")
        low, high = hpa_spec.get("minReplicas", 1), hpa_spec.get("maxReplicas", 0)
        if low < 2:
            errors.append(f"{hpa_name}: minReplicas {low} would scale down to a single replica")
        if high < low:
            errors.append(f"{hpa_name}: maxReplicas {high} is below minReplicas {low}")

    errors += _check_scraping(deployment, by_kind, where, rules_groups)
    errors += _check_network_policy(deployment, by_kind, where, proxy)

    namespaces = {d.get("metadata", {}).get("namespace") for d in docs if d.get("kind") != "Namespace"}
    if len(namespaces) > 1:
        errors.append(f"{where}: objects are spread over namespaces {sorted(map(str, namespaces))}")
    return errors


# ---------------------------------------------------------------------- main


def load_base(base_dir):
    """Reads the base's resource files as they are, for when kubectl is absent."""
    with open(os.path.join(base_dir, "kustomization.yaml"), encoding="utf-8") as f:
        kustomization = yaml.safe_load(f)
    docs = []
    for resource in kustomization.get("resources", []):
        with open(os.path.join(base_dir, resource), encoding="utf-8") as f:
            docs += [d for d in yaml.safe_load_all(f) if d]
    return docs


def check_overlay_files(overlay_dir, base_docs, where):
    """Without kustomize, at least every name an overlay refers to must exist."""
    errors = []
    with open(os.path.join(overlay_dir, "kustomization.yaml"), encoding="utf-8") as f:
        kustomization = yaml.safe_load(f) or {}
    for resource in kustomization.get("resources", []):
        if not os.path.exists(os.path.join(overlay_dir, resource)):
            errors.append(f"{where}/kustomization.yaml: resource {resource} does not exist")
    images = {c.get("image", "").split(":")[0] for d in base_docs if d.get("kind") == "Deployment"
              for c in _containers(d) + _init_containers(d)}
    for image in kustomization.get("images", []):
        if image.get("name") not in images:
            errors.append(f"{where}/kustomization.yaml: image {image.get('name')} is not used by the base {sorted(images)}")
    objects = {(d.get("kind"), d.get("metadata", {}).get("name")) for d in base_docs}
    for patch in kustomization.get("patches", []):
        target = patch.get("target", {})
        if (target.get("kind"), target.get("name")) not in objects:
            errors.append(f"{where}/kustomization.yaml: patch target {target.get('kind')}/{target.get('name')} is not in the base")
    for replica in kustomization.get("replicas", []):
        if ("Deployment", replica.get("name")) not in objects:
            errors.append(f"{where}/kustomization.yaml: replicas of {replica.get('name')}, which the base does not deploy")
    return errors


# The overlays use kustomize's `labels` and `replicas` fields.
MIN_KUSTOMIZE_MAJOR = 5


def kustomize_major(kubectl):
    """The major version of kubectl's built-in kustomize, or None if unknown."""
    result = subprocess.run([kubectl, "version", "--client", "-o", "json"], capture_output=True,
                            text=True, timeout=60, check=False)
    try:
        version = json.loads(result.stdout).get("kustomizeVersion", "")
        return int(version.lstrip("v").split(".")[0])
    except (json.JSONDecodeError, ValueError):
        return None


def render(kubectl, directory):
    result = subprocess.run([kubectl, "kustomize", directory], capture_output=True,
                            text=True, timeout=60, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{directory}: kubectl kustomize failed: {result.stderr.strip()}")
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def check_image_setting(kubectl, k8s):
    """The documented kubectl-only way to ship an image: write it into
    overlays/production/image.env; the rendered Deployment must run it and
    nothing else of the file may reach the cluster."""
    import tempfile
    import shutil
    image = "registry.test/factgraph/factgraphd:check-deploy-1"
    with tempfile.TemporaryDirectory(prefix="check-deploy-") as temp:
        copy = os.path.join(temp, "k8s")
        shutil.copytree(k8s, copy)
        with open(os.path.join(copy, "overlays", "production", "image.env"), "w", encoding="utf-8") as f:
            f.write(f"image={image}\n")
        try:
            docs = render(kubectl, os.path.join(copy, "overlays", "production"))
        except RuntimeError as error:
            return [f"deploy/k8s/overlays/production: with a new image.env: {error}"]
    errors = []
    images = [c.get("image") for d in docs if d.get("kind") == "Deployment"
              for c in _containers(d) + _init_containers(d)]
    if images != [image] * 2:
        errors.append(f"deploy/k8s/overlays/production: image.env says {image} but the Deployment runs {images}")
    leaked = [_name(d) for d in docs if d.get("kind") == "ConfigMap"]
    if leaked:
        errors.append(f"deploy/k8s/overlays/production: {leaked} would be applied; image.env is render-time only")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--kubectl")
    options = parser.parse_args()
    root = os.path.abspath(options.root)
    relative = lambda p: os.path.relpath(p, root)  # noqa: E731

    dockerfile = os.path.join(root, "deploy", "Dockerfile")
    with open(dockerfile, encoding="utf-8") as f:
        errors, facts = check_dockerfile(f.read(), relative(dockerfile))

    with open(os.path.join(root, "deploy", "monitoring", "factgraph.rules.yaml"), encoding="utf-8") as f:
        rules_groups = yaml.safe_load(f).get("groups")

    k8s = os.path.join(root, "deploy", "k8s")
    base = os.path.join(k8s, "base")
    overlays_dir = os.path.join(k8s, "overlays")
    overlays = sorted(os.path.join(overlays_dir, d) for d in os.listdir(overlays_dir)
                      if os.path.isfile(os.path.join(overlays_dir, d, "kustomization.yaml")))
    if not overlays:
        errors.append(f"{relative(overlays_dir)}: no overlays")
    checked = []
    if options.kubectl:
        major = kustomize_major(options.kubectl)
        if major is None or major < MIN_KUSTOMIZE_MAJOR:
            print(f"check_deploy: {options.kubectl} has kustomize {major}, older than v{MIN_KUSTOMIZE_MAJOR}: "
                  "not rendering with it")
            options.kubectl = None
    if options.kubectl:
        for directory in [base] + overlays:
            try:
                docs = render(options.kubectl, directory)
            except RuntimeError as error:
                errors.append(str(error))
                continue
            errors += check_manifests(docs, relative(directory), facts, rules_groups)
            checked.append(relative(directory))
        errors += check_image_setting(options.kubectl, k8s)
        checked.append("the image set through overlays/production/image.env")
    else:
        print("check_deploy: checking the base files without rendering the overlays")
        base_docs = load_base(base)
        errors += check_manifests(base_docs, relative(base), facts, rules_groups)
        checked.append(relative(base))
        for overlay in overlays:
            errors += check_overlay_files(overlay, base_docs, relative(overlay))
            checked.append(f"{relative(overlay)} (references only)")

    for error in errors:
        print(error, file=sys.stderr)
    print(f"check_deploy: {relative(dockerfile)} and {', '.join(checked)}: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
