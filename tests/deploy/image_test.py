#!/usr/bin/env python3
"""The container image, built and run here: no daemon, no registry (issue 21).

Builds deploy/Dockerfile with deploy/build-image.sh (buildah, chroot
isolation), then checks the image as Kubernetes would run it:

- its configuration: numeric non-root USER 10001:10001, factgraphd as the
  exec-form ENTRYPOINT, the OCI version/revision/source labels;
- its content: every ELF file's libraries resolve inside the image (the
  image's own loader, `ld.so --list`, which is what ldd runs), and the package
  list inside it names exactly the packages factgraphd's libraries come from;
- the entrypoint with its default CMD (the seeds built into the image), started
  by `buildah run`: it runs as uid 10001, grpc.health.v1.Health answers SERVING
  for the API and for "" (the readiness and liveness probes of deploy/k8s), a
  GetInstitution answers, and SIGTERM drains and exits 0;
- the same with the image's root file system mounted read-only (a read-only
  bind mount of the image, chrooted as uid 10001: buildah's chroot isolation
  has no read-only root option), after proving that writing there fails;
- the pod of deploy/k8s from that read-only root: nginx in front of
  factgraphd with the manifest's commands, in network and mount namespaces of
  their own, probes and a call through nginx, and an HTTP/2 rapid-reset flood
  through it cut (image_pod_check.py).

Usage: image_test.py --root=SOURCE_DIR --out=OUT_DIR
"""

import argparse
import contextlib
import errno
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from replicas_test import generate_stubs  # noqa: E402  (one stub generator)

BUILDAH = ["buildah", "--storage-driver=vfs"]
ENTRYPOINT = ["/usr/local/bin/factgraphd"]
PROXY = "/usr/sbin/nginx"
# Packages of programs copied without their service dependencies
# (deploy/make-rootfs.sh): only their binaries' libraries must be listed.
PROGRAM_PACKAGES = {"nginx": PROXY}
SEEDS = "/usr/share/factgraph/seeds"
USER = "10001:10001"
LOADER = "/lib64/ld-linux-x86-64.so.2"
SERVE_TIMEOUT_S = 60
DRAIN_TIMEOUT_S = 20


def fail(message):
    print(f"image_test: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        fail(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_pid(port):
    """The pid listening on 127.0.0.1:port, from ss, or None."""
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True,
                         check=False).stdout
    match = re.search(r"pid=(\d+)", out)
    return int(match.group(1)) if match else None


def process_uids(pid):
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        for line in f:
            if line.startswith("Uid:"):
                return [int(uid) for uid in line.split()[1:]]
    return None


def check_config(image, version, revision):
    inspected = json.loads(run(BUILDAH + ["inspect", "--type", "image", image]))
    config = inspected["OCIv1"]["config"]
    check(config.get("User") == USER, f"image USER is {config.get('User')!r}, not {USER!r}")
    check(config.get("Entrypoint") == ENTRYPOINT,
          f"image ENTRYPOINT is {config.get('Entrypoint')}, not {ENTRYPOINT}")
    labels = config.get("Labels") or {}
    expected = {"org.opencontainers.image.version": version,
                "org.opencontainers.image.revision": revision}
    for key, value in expected.items():
        check(labels.get(key) == value, f"label {key} is {labels.get(key)!r}, not {value!r}")
        annotation = (inspected.get("ImageAnnotations") or {}).get(key)
        check(annotation == value, f"annotation {key} is {annotation!r}, not {value!r}")
    check(labels.get("org.opencontainers.image.source"), "no org.opencontainers.image.source label")
    print(f"image_test: config: USER {USER}, ENTRYPOINT {ENTRYPOINT}, version {version}, revision {revision}")
    return config


def check_libraries(root):
    """Every ELF file's libraries resolve with the image's own loader and files."""
    elf_files = []
    for directory, _, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                if f.read(4) == b"\x7fELF":
                    elf_files.append("/" + os.path.relpath(path, root))
    loader = os.path.realpath(os.path.join(root, LOADER.lstrip("/")))
    check(os.path.isfile(loader), f"the image has no {LOADER}")
    loader_in_image = "/" + os.path.relpath(loader, root)
    checked = 0
    for path in sorted(elf_files):
        if path == loader_in_image:
            continue  # The loader itself is static.
        result = subprocess.run(["chroot", root, LOADER, "--list", path], capture_output=True,
                                text=True, check=False)
        missing = [line.strip() for line in result.stdout.splitlines() if "not found" in line]
        check(result.returncode == 0 and not missing,
              f"{path}: libraries not found in the image: {missing or result.stderr.strip()}")
        checked += 1
    check(ENTRYPOINT[0] in elf_files, f"{ENTRYPOINT[0]} is not an ELF file in the image")
    check(PROXY in elf_files, f"{PROXY} is not an ELF file in the image")
    print(f"image_test: ld.so --list resolves every library of {checked} ELF files in the image")


def check_packages(root, source_root, out_dir):
    with open(os.path.join(root, "usr/share/doc/factgraph/packages.txt"), encoding="utf-8") as f:
        inside = f.read()
    with open(os.path.join(out_dir, "packages.txt"), encoding="utf-8") as f:
        check(f.read() == inside, f"{out_dir}/packages.txt differs from the image's")
    listed = [line.split() for line in inside.splitlines() if not line.startswith("#")]
    check(all(len(fields) == 3 for fields in listed), f"packages.txt lines are not 'name version arch': {listed}")
    names = sorted(fields[0] for fields in listed)
    # The packages of the libraries this image's factgraphd loads (looked up
    # in the host's dpkg database: the same Debian 12), and what they depend on.
    wanted = run([os.path.join(source_root, "deploy", "runtime-packages.sh"),
                  os.path.join(root, ENTRYPOINT[0].lstrip("/")),
                  os.path.join(root, PROXY.lstrip("/"))]).split() + sorted(PROGRAM_PACKAGES)
    check(set(wanted) <= set(names), f"packages.txt lists {names}, without {sorted(set(wanted) - set(names))}")
    for name in names:
        if name in PROGRAM_PACKAGES:
            libraries = run([os.path.join(source_root, "deploy", "runtime-packages.sh"),
                             os.path.join(root, PROGRAM_PACKAGES[name].lstrip("/"))]).split()
            check(set(libraries) <= set(names),
                  f"packages.txt lists {name} but not the packages of its libraries {libraries}")
            continue
        depends = run(["dpkg-query", "-W", "-f=${Pre-Depends},${Depends}", name])
        for group in filter(None, (g.strip() for g in depends.split(","))):
            alternatives = [re.sub(r"\(.*?\)|:any|\s", "", a) for a in group.split("|")]
            check(any(a in names for a in alternatives),
                  f"packages.txt lists {name} but not its dependency {group}")
    print(f"image_test: packages.txt lists the {len(wanted)} packages factgraphd's and nginx's libraries come from "
          f"and their dependencies, {len(names)} packages")


@contextlib.contextmanager
def served(command, port, label):
    """Runs a factgraphd command that listens on port; yields its pid."""
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        pid = None
        try:
            deadline = time.monotonic() + SERVE_TIMEOUT_S
            while pid is None:
                if process.poll() is not None:
                    log.seek(0)
                    fail(f"{label}: exited {process.returncode} before serving: {log.read()[-2000:]}")
                if time.monotonic() > deadline:
                    fail(f"{label}: not listening on {port} within {SERVE_TIMEOUT_S}s")
                time.sleep(0.2)
                pid = listening_pid(port)
            yield process, pid
        finally:
            # The server is a child of buildah's chroot helper: killing the
            # helper alone would leave it serving after a failed check.
            if pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if process.poll() is None:
                process.kill()
                process.wait()
            log.seek(0)
            output = log.read()
            if process.returncode not in (0, None):
                print(f"image_test: {label} output: {output[-2000:]}", file=sys.stderr)


def stop_with_sigterm(process, pid, label):
    """SIGTERM to pid (process's, or its chrooted child's); it must exit 0."""
    os.kill(pid, signal.SIGTERM)
    try:
        status = process.wait(timeout=DRAIN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        fail(f"{label}: still running {DRAIN_TIMEOUT_S}s after SIGTERM")
    check(status == 0, f"{label}: exited {status} on SIGTERM, not 0")


def check_serving(stubs, process, pid, port, label):
    factgraph_service_pb2, factgraph_service_pb2_grpc, health_pb2, health_pb2_grpc = stubs
    uids = process_uids(pid)
    check(uids == [10001] * 4, f"{label}: factgraphd runs as uids {uids}, not 10001")
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)
        # The services the readiness/startup probes and the liveness probe ask.
        for service in ("factgraph.v1.FactGraphService", ""):
            deadline = time.monotonic() + SERVE_TIMEOUT_S
            while True:
                try:
                    reply = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        break
                except grpc.RpcError:
                    pass
                check(time.monotonic() < deadline, f"{label}: health {service!r} never SERVING")
                time.sleep(0.2)
        stub = factgraph_service_pb2_grpc.FactGraphServiceStub(channel)
        # Get returns the resource itself (AIP-131).
        institution = stub.GetInstitution(
            factgraph_service_pb2.GetInstitutionRequest(name="institutions/kaist"), timeout=10)
        check(institution.name == "institutions/kaist" and institution.display_name == "KAIST",
              f"{label}: GetInstitution answered {institution.name!r} {institution.display_name!r}")
    stop_with_sigterm(process, pid, label)
    print(f"image_test: {label}: uid 10001, health SERVING, GetInstitution(institutions/kaist) = KAIST, "
          "SIGTERM exit 0")


@contextlib.contextmanager
def read_only_view(root):
    """A read-only bind mount of the image's root file system."""
    view = tempfile.mkdtemp(prefix="factgraph-image-ro-")
    run(["mount", "--bind", root, view])
    try:
        run(["mount", "-o", "remount,bind,ro", view])
        yield view
    finally:
        subprocess.run(["umount", view], check=False)
        os.rmdir(view)


def check_pod(view, source_root, stub_dir):
    """nginx and factgraphd as the pod runs them (image_pod_check.py), in
    namespaces that die with it: its own loopback, so the manifest's ports
    are used as they are, and its own mounts for the emptyDirs."""
    started = time.monotonic()
    result = subprocess.run(
        ["unshare", "--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc",
         "--propagation", "private", sys.executable,
         os.path.join(os.path.dirname(os.path.abspath(__file__)), "image_pod_check.py"),
         f"--view={view}", f"--root={source_root}", f"--stubs={stub_dir}"],
        check=False, timeout=300)
    check(result.returncode == 0, f"the pod check exited {result.returncode}")
    print(f"image_test: pod (nginx in front of factgraphd) checked in {time.monotonic() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True, help="the source tree")
    parser.add_argument("--out", required=True, help="build-image.sh's output directory")
    args = parser.parse_args()
    started = time.monotonic()

    build = subprocess.run([os.path.join(args.root, "deploy", "build-image.sh"), args.out], check=False)
    check(build.returncode == 0, f"deploy/build-image.sh exited {build.returncode}")
    built_s = time.monotonic() - started
    with open(os.path.join(args.out, "tags.txt"), encoding="utf-8") as f:
        tags = f.read().split()
    image = tags[1]  # version-revision
    version = tags[0].rsplit(":", 1)[1]
    revision = run(["git", "-C", args.root, "rev-parse", "HEAD"]).strip()
    if run(["git", "-C", args.root, "status", "--porcelain", "--untracked-files=no"]).strip():
        revision += "-dirty"
    config = check_config(image, version, revision)

    with tempfile.TemporaryDirectory() as stub_dir:
        generate_stubs(args.root, stub_dir)
        from factgraph.v1 import factgraph_service_pb2, factgraph_service_pb2_grpc
        from grpc.health.v1 import health_pb2, health_pb2_grpc
        stubs = (factgraph_service_pb2, factgraph_service_pb2_grpc, health_pb2, health_pb2_grpc)

        container = run(BUILDAH + ["from", "--pull-never", image]).strip()
        try:
            root = run(BUILDAH + ["mount", container]).strip()
            check_libraries(root)
            check_packages(root, args.root, args.out)
            check(not os.path.lexists(os.path.join(root, "bin/sh")), "the image holds a shell")
            size = sum(os.lstat(os.path.join(d, n)).st_size for d, _, ns in os.walk(root) for n in ns)
            print(f"image_test: image {image}: {size / 1e6:.1f} MB of files")

            # The entrypoint with the image's CMD; only the listen address
            # differs (the last --listen wins), as the host network is shared.
            port = free_port()
            command = config["Entrypoint"] + config["Cmd"] + [f"--listen=127.0.0.1:{port}"]
            check(f"--seeds={SEEDS}" in config["Cmd"], f"CMD {config['Cmd']} does not serve {SEEDS}")
            with served(BUILDAH + ["run", "--isolation=chroot", "--network=host", container, "--"]
                        + command, port, "buildah run") as (process, pid):
                check_serving(stubs, process, pid, port, "buildah run")

            with read_only_view(root) as view:
                try:
                    with open(os.path.join(view, "usr/share/factgraph/probe"), "w", encoding="utf-8"):
                        pass
                    fail("writing into the read-only view of the image succeeded")
                except OSError as error:
                    check(error.errno == errno.EROFS, f"writing failed with {error}, not EROFS")
                port = free_port()
                command = config["Entrypoint"] + config["Cmd"] + [f"--listen=127.0.0.1:{port}"]
                with served(["chroot", f"--userspec={USER}", view] + command, port,
                            "read-only root") as (process, pid):
                    check_serving(stubs, process, pid, port, "read-only root")
                check_pod(view, args.root, stub_dir)
        finally:
            subprocess.run(BUILDAH + ["umount", container], capture_output=True, check=False)
            subprocess.run(BUILDAH + ["rm", container], capture_output=True, check=False)
    print(f"image_test: PASS: build {built_s:.0f} s, whole test {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
