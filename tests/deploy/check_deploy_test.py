#!/usr/bin/python3
"""The deploy checks catch each mistake they exist for, with a precise message.

Each test breaks one thing in a copy of the real deploy/ files and asserts the
exact problem reported, so a check that silently stopped working fails here.
Usage: check_deploy_test.py REPO_ROOT
"""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_deploy  # noqa: E402

ROOT = None
WHERE = "deploy/k8s/base"
DEPLOYMENT = f"{WHERE}: Deployment/factgraph"
CONTAINER = f"{DEPLOYMENT} container factgraphd"
PROXY = f"{DEPLOYMENT} container nginx"


def _find(docs, kind, name=None):
    for doc in docs:
        if doc["kind"] == kind and (name is None or doc["metadata"]["name"] == name):
            return doc
    raise KeyError(kind)


class ManifestChecksTest(unittest.TestCase):
    def setUp(self):
        self.docs = check_deploy.load_base(os.path.join(ROOT, "deploy", "k8s", "base"))
        with open(os.path.join(ROOT, "deploy", "Dockerfile"), encoding="utf-8") as f:
            self.dockerfile_errors, self.facts = check_deploy.check_dockerfile(f.read(), "deploy/Dockerfile")

    def problems(self):
        return check_deploy.check_manifests(self.docs, WHERE, self.facts)

    def container(self):
        return _find(self.docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]

    def proxy(self):
        return _find(self.docs, "Deployment")["spec"]["template"]["spec"]["initContainers"][0]

    def test_real_files_have_no_problem(self):
        self.assertEqual(self.dockerfile_errors, [])
        self.assertEqual(self.facts["uid"], 10001)
        self.assertEqual(self.facts["seeds"], "/usr/share/factgraph/seeds")
        self.assertEqual(self.facts["listen_port"], 50051)
        self.assertEqual(self.facts["proxy"], {"dir": "/tmp", "listen_port": 50051,
                                               "backend": "127.0.0.1:50052",
                                               "conf": "/etc/factgraph/nginx.conf"})
        self.assertEqual(self.problems(), [])

    def test_probe_port_must_be_a_container_port(self):
        self.container()["readinessProbe"]["grpc"]["port"] = 50052
        self.assertEqual(self.problems(), [f"{CONTAINER}: readinessProbe gRPC port 50052 is not a containerPort [9090, 50051]"])

    def test_liveness_probe_is_required(self):
        del self.container()["livenessProbe"]
        self.assertEqual(self.problems(), [f"{CONTAINER}: no livenessProbe"])

    def test_readiness_must_follow_the_service_health(self):
        self.container()["readinessProbe"]["grpc"]["service"] = ""
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: readinessProbe must ask for factgraph.v1.FactGraphService, which turns NOT_SERVING when draining"])

    def test_factgraphd_listens_only_where_nginx_sends_calls(self):
        args = self.container()["args"]
        listen = args.index("--listen=127.0.0.1:50052")
        args[listen] = "--listen=0.0.0.0:50052"
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: --listen=0.0.0.0:50052 is reachable from outside the pod, past nginx; "
            "listen on 127.0.0.1:50052, where the image's nginx sends calls"])
        args[listen] = "--listen=127.0.0.1:8080"
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: --listen=127.0.0.1:8080, but the image's nginx sends calls to 127.0.0.1:50052"])

    def test_hooks_run_only_what_the_image_holds(self):
        self.container()["lifecycle"]["preStop"] = {"exec": {"command": ["/bin/sleep", "5"]}}
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: the preStop hook runs /bin/sleep, which the image does not hold (it holds "
            "/usr/local/bin/factgraphd, /usr/sbin/nginx); the kubelet's own lifecycle sleep needs no program"])

    def test_nginx_is_required_in_front(self):
        pod = _find(self.docs, "Deployment")["spec"]["template"]["spec"]
        del pod["initContainers"]
        self.assertEqual(self.problems(), [
            f"{DEPLOYMENT}: no nginx in front of factgraphd (deploy/nginx): gRPC 1.51 alone does not hold "
            "an HTTP/2 rapid-reset flood (SECURITY.md)",
            f"{CONTAINER}: --listen port 50052 is not a containerPort [9090]",
            f"{CONTAINER}: readinessProbe gRPC port 50051 is not a containerPort [9090]",
            f"{CONTAINER}: livenessProbe gRPC port 50051 is not a containerPort [9090]",
            f"{CONTAINER}: startupProbe gRPC port 50051 is not a containerPort [9090]",
            f"{WHERE}: Service/factgraph: targetPort 'grpc' is not a container port",
            f"{WHERE}: Service/factgraph-headless: targetPort 'grpc' is not a container port",
            f"{WHERE}: NetworkPolicy/factgraph admits ports ['50051', '9090'], "
            "not exactly the gRPC and monitoring ports ['50052', '9090']"])

    def test_nginx_must_outlive_the_drain(self):
        pod = _find(self.docs, "Deployment")["spec"]["template"]["spec"]
        proxy = pod.pop("initContainers")[0]
        del proxy["restartPolicy"]
        pod["containers"].append(proxy)
        self.assertEqual(self.problems(), [
            f"{PROXY}: not a native sidecar (initContainers, restartPolicy: Always), so it is stopped "
            "together with factgraphd and cuts the calls factgraphd drains"])

    def test_nginx_runs_the_image_configuration_in_the_foreground(self):
        args = self.proxy()["args"]
        args[args.index("/etc/factgraph/nginx.conf")] = "/etc/nginx/nginx.conf"
        args.remove("daemon off;")
        self.assertEqual(self.problems(), [
            f"{PROXY}: runs the configuration /etc/nginx/nginx.conf, not the image's /etc/factgraph/nginx.conf "
            "(rendered from deploy/nginx/factgraph-grpc.conf.template)",
            f"{PROXY}: without -g 'daemon off;' nginx leaves the foreground and the container ends"])

    def test_nginx_port_and_writable_directory(self):
        self.proxy()["ports"][0]["containerPort"] = 8080
        self.proxy()["volumeMounts"][0]["mountPath"] = "/run"
        self.assertEqual(self.problems(), [
            f"{PROXY}: the image's nginx listens on 50051, not a containerPort [8080]",
            f"{PROXY}: nothing is mounted at /tmp, where nginx writes its pid file and buffers "
            "(the root file system is read-only)",
            f"{CONTAINER}: readinessProbe gRPC port 50051 is not a containerPort [8080, 9090]",
            f"{CONTAINER}: livenessProbe gRPC port 50051 is not a containerPort [8080, 9090]",
            f"{CONTAINER}: startupProbe gRPC port 50051 is not a containerPort [8080, 9090]"])

    def test_nginx_is_confined_like_factgraphd(self):
        self.proxy()["securityContext"]["readOnlyRootFilesystem"] = False
        del self.proxy()["resources"]["limits"]
        del self.proxy()["livenessProbe"]
        self.assertEqual(self.problems(), [
            f"{PROXY}: no livenessProbe",
            f"{PROXY}: no cpu limit",
            f"{PROXY}: no memory limit",
            f"{PROXY}: the root file system is not read-only"])

    def test_grace_period_must_exceed_the_drain(self):
        _find(self.docs, "Deployment")["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] = 15
        self.assertEqual(self.problems(), [
            f"{DEPLOYMENT}: terminationGracePeriodSeconds 15 does not exceed the preStop sleep 5s plus --shutdown_grace 10s"])

    def test_longer_drain_needs_a_longer_grace_period(self):
        args = self.container()["args"]
        args[args.index("--shutdown_grace=10s")] = "--shutdown_grace=1m"
        self.assertEqual(self.problems(), [
            f"{DEPLOYMENT}: terminationGracePeriodSeconds 30 does not exceed the preStop sleep 5s plus --shutdown_grace 60s"])

    def test_service_selector_must_match_pod_labels(self):
        _find(self.docs, "Service", "factgraph-headless")["spec"]["selector"]["app.kubernetes.io/name"] = "other"
        self.assertEqual(self.problems(), [
            f"{WHERE}: Service/factgraph-headless: selector {{'app.kubernetes.io/name': 'other', "
            "'app.kubernetes.io/component': 'server'} does not select the pods of Deployment/factgraph "
            "{'app.kubernetes.io/name': 'factgraph', 'app.kubernetes.io/component': 'server'}"])

    def test_service_target_port_must_exist(self):
        _find(self.docs, "Service", "factgraph")["spec"]["ports"][0]["targetPort"] = "http"
        self.assertEqual(self.problems(), [f"{WHERE}: Service/factgraph: targetPort 'http' is not a container port"])

    def test_headless_service_is_required(self):
        self.docs.remove(_find(self.docs, "Service", "factgraph-headless"))
        self.assertEqual(self.problems(), [f"{WHERE}: no headless Service (clusterIP: None) for client-side load balancing"])

    def test_deployment_selector_must_match_template(self):
        _find(self.docs, "Deployment")["spec"]["selector"]["matchLabels"] = {"app": "factgraph"}
        self.assertEqual(self.problems(), [
            f"{DEPLOYMENT}: selector {{'matchLabels': {{'app': 'factgraph'}}}} does not select the pod labels "
            "{'app.kubernetes.io/name': 'factgraph', 'app.kubernetes.io/component': 'server'}"])

    def test_root_file_system_must_be_read_only(self):
        self.container()["securityContext"]["readOnlyRootFilesystem"] = False
        self.assertEqual(self.problems(), [f"{CONTAINER}: the root file system is not read-only"])

    def test_resources_need_requests_and_limits(self):
        del self.container()["resources"]["limits"]["memory"]
        self.container()["resources"]["requests"]["cpu"] = "2"
        self.assertEqual(self.problems(), [f"{CONTAINER}: cpu request 2 exceeds its limit 1", f"{CONTAINER}: no memory limit"])

    def test_pdb_must_allow_an_eviction(self):
        spec = _find(self.docs, "PodDisruptionBudget")["spec"]
        del spec["maxUnavailable"]
        spec["minAvailable"] = 3
        self.assertEqual(self.problems(), [
            f"{WHERE}: PodDisruptionBudget/factgraph: minAvailable 3 with 3 replicas blocks every eviction"])

    def test_hpa_must_target_the_deployment(self):
        _find(self.docs, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"]["name"] = "factgraphd"
        # Without an autoscaler of its own, the Deployment runs its default one pod.
        self.assertEqual(self.problems(), [
            f"{DEPLOYMENT}: 1 replica(s); a drain or a crash would stop the service",
            f"{WHERE}: HorizontalPodAutoscaler/factgraph: scaleTargetRef Deployment/factgraphd is not Deployment/factgraph"])

    def test_single_replica_is_refused(self):
        _find(self.docs, "HorizontalPodAutoscaler")["spec"]["minReplicas"] = 1
        self.assertEqual(self.problems(), [
            f"{DEPLOYMENT}: 1 replica(s); a drain or a crash would stop the service",
            f"{WHERE}: HorizontalPodAutoscaler/factgraph: minReplicas 1 would scale down to a single replica"])

    def test_replicas_beside_an_autoscaler_are_refused(self):
        _find(self.docs, "Deployment")["spec"]["replicas"] = 3
        self.assertEqual(self.problems(), [
            f"{DEPLOYMENT}: sets replicas 3 while HorizontalPodAutoscaler/factgraph owns the count; "
            "every kubectl apply would reset it"])

    def test_memory_quota_must_sit_inside_the_memory_limit(self):
        args = self.container()["args"]
        args.remove("--memory_quota_bytes=268435456")
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: --memory_quota_bytes 1073741824 is more than 0.5 of the memory limit 512Mi "
            "(536870912 bytes): the pod would be OOM-killed before gRPC refuses calls"])
        args.append("--memory_quota_bytes=268435456")
        self.container()["resources"]["limits"]["memory"] = "256Mi"
        self.container()["resources"]["requests"]["memory"] = "128Mi"
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: --memory_quota_bytes 268435456 is more than 0.5 of the memory limit 256Mi "
            "(268435456 bytes): the pod would be OOM-killed before gRPC refuses calls"])

    def test_monitoring_listener_is_required_on_its_own_port(self):
        args = self.container()["args"]
        args.remove("--monitoring_listen=0.0.0.0:9090")
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: no --monitoring_listen, so Prometheus cannot scrape /metrics",
            f"{DEPLOYMENT}: prometheus.io/port '9090' is not the --monitoring_listen port []",
            f"{WHERE}: NetworkPolicy/factgraph admits ports ['50051', '9090'], "
            "not exactly the gRPC and monitoring ports ['50051']"])
        args.append("--monitoring_listen=127.0.0.1:50052")
        self.assertIn(f"{CONTAINER}: --monitoring_listen shares the gRPC port 50052", self.problems())

    def test_scrape_annotation_must_name_the_monitoring_port(self):
        annotations = _find(self.docs, "Deployment")["spec"]["template"]["metadata"]["annotations"]
        annotations["prometheus.io/port"] = "50051"
        self.assertEqual(self.problems(), [
            f"{DEPLOYMENT}: prometheus.io/port '50051' is not the --monitoring_listen port [9090]"])

    def test_network_policy_admits_only_the_two_ports(self):
        policy = _find(self.docs, "NetworkPolicy")
        policy["spec"]["ingress"][0]["ports"].append({"port": 22, "protocol": "TCP"})
        self.assertEqual(self.problems(), [
            f"{WHERE}: NetworkPolicy/factgraph admits ports ['22', '50051', '9090'], "
            "not exactly the gRPC and monitoring ports ['50051', '9090']"])
        del policy["spec"]["ingress"][0]["ports"]
        self.assertEqual(self.problems(), [
            f"{WHERE}: NetworkPolicy/factgraph admits ports ['every port'], "
            "not exactly the gRPC and monitoring ports ['50051', '9090']"])
        self.docs.remove(policy)
        self.assertEqual(self.problems(), [f"{WHERE}: no NetworkPolicy selects the pods of Deployment/factgraph"])

    def test_operator_objects_must_match_the_pods_and_the_rules(self):
        component = os.path.join(ROOT, "deploy", "k8s", "components", "prometheus-operator")
        for name in ("servicemonitor.yaml", "prometheusrule.yaml"):
            with open(os.path.join(component, name), encoding="utf-8") as f:
                self.docs.append(check_deploy.yaml.safe_load(f))
        with open(os.path.join(ROOT, "deploy", "monitoring", "factgraph.rules.yaml"), encoding="utf-8") as f:
            groups = check_deploy.yaml.safe_load(f)["groups"]
        check = lambda: check_deploy.check_manifests(self.docs, WHERE, self.facts, groups)  # noqa: E731
        self.assertEqual(check(), [])
        _find(self.docs, "ServiceMonitor")["spec"]["endpoints"][0]["port"] = "grpc"
        self.assertEqual(check(), [
            f"{WHERE}: ServiceMonitor/factgraph endpoint port 'grpc' does not reach the --monitoring_listen port [9090]"])
        _find(self.docs, "ServiceMonitor")["spec"]["endpoints"][0]["port"] = "metrics"
        _find(self.docs, "PrometheusRule")["spec"]["groups"][0]["rules"].pop()
        self.assertEqual(check(), [
            f"{WHERE}: PrometheusRule/factgraph differs from deploy/monitoring/factgraph.rules.yaml"])

    def test_seeds_path_must_match_the_image(self):
        args = self.container()["args"]
        args[args.index("--seeds=/usr/share/factgraph/seeds")] = "--seeds=/seeds"
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: --seeds=/seeds but the image holds the seeds at /usr/share/factgraph/seeds"])

    def test_max_connection_age_is_required(self):
        args = self.container()["args"]
        args.remove("--max_connection_age=5m")
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: no --max_connection_age, so clients never rebalance onto new replicas"])

    def test_replicas_must_share_the_page_token_secret(self):
        args = self.container()["args"]
        args.remove("--page_token_secret_file=/var/run/secrets/factgraph/page-token-secret")
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: no --page_token_secret_file, so a page token is only valid on the replica that issued it"])

    def test_page_token_secret_must_be_mounted(self):
        args = self.container()["args"]
        index = args.index("--page_token_secret_file=/var/run/secrets/factgraph/page-token-secret")
        args[index] = "--page_token_secret_file=/etc/factgraph/key"
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: --page_token_secret_file=/etc/factgraph/key is not in a mounted Secret"])

    def test_page_token_secret_must_be_readable(self):
        del _find(self.docs, "Deployment")["spec"]["template"]["spec"]["securityContext"]["fsGroup"]
        self.assertEqual(self.problems(), [
            f"{CONTAINER}: /var/run/secrets/factgraph/page-token-secret has mode 0440 and no fsGroup lets the server read it"])

    def test_mixed_namespaces_are_refused(self):
        _find(self.docs, "Service", "factgraph")["metadata"]["namespace"] = "other"
        self.assertEqual(self.problems(), [f"{WHERE}: objects are spread over namespaces ['None', 'other']"])


class OverlayReferencesTest(unittest.TestCase):
    def setUp(self):
        self.base = check_deploy.load_base(os.path.join(ROOT, "deploy", "k8s", "base"))
        self.work = tempfile.mkdtemp()
        self.overlay = os.path.join(self.work, "overlays", "dev")
        shutil.copytree(os.path.join(ROOT, "deploy", "k8s", "overlays", "dev"), self.overlay)
        os.symlink(os.path.join(ROOT, "deploy", "k8s", "base"), os.path.join(self.work, "base"))

    def tearDown(self):
        shutil.rmtree(self.work)

    def edit(self, old, new):
        path = os.path.join(self.overlay, "kustomization.yaml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn(old, text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new))

    def problems(self):
        return check_deploy.check_overlay_files(self.overlay, self.base, "dev")

    def test_real_overlays_refer_to_existing_objects(self):
        for overlay in ("dev", "production"):
            directory = os.path.join(ROOT, "deploy", "k8s", "overlays", overlay)
            self.assertEqual(check_deploy.check_overlay_files(directory, self.base, overlay), [])

    def test_patch_of_a_missing_object(self):
        self.edit("kind: HorizontalPodAutoscaler\n      name: factgraph", "kind: HorizontalPodAutoscaler\n      name: factgraphd")
        self.assertEqual(self.problems(), [
            "dev/kustomization.yaml: patch target HorizontalPodAutoscaler/factgraphd is not in the base"])

    def test_unknown_image(self):
        self.edit("  - name: factgraph\n    newName", "  - name: factgraph-server\n    newName")
        self.assertEqual(self.problems(), [
            "dev/kustomization.yaml: image factgraph-server is not used by the base ['factgraph']"])


class DockerfileChecksTest(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(ROOT, "deploy", "Dockerfile"), encoding="utf-8") as f:
            self.text = f.read()

    def line_of(self, text):
        return self.text.splitlines().index(text) + 1

    def problems(self, text):
        return check_deploy.check_dockerfile(text, "Dockerfile")[0]

    def test_single_stage_is_refused(self):
        errors = self.problems(self.text.replace("FROM scratch AS runtime\n", ""))
        self.assertEqual(errors, ["Dockerfile: not multi-stage (1 FROM); the runtime image must not hold the toolchain"])

    def test_root_user_is_refused(self):
        line = self.line_of("USER 10001:10001")
        errors = self.problems(self.text.replace("USER 10001:10001", "USER 0"))
        self.assertEqual(errors, [f"Dockerfile:{line}: USER is root (uid 0)"])

    def test_user_name_is_refused(self):
        line = self.line_of("USER 10001:10001")
        errors = self.problems(self.text.replace("USER 10001:10001", "USER factgraph"))
        self.assertEqual(errors, [
            f"Dockerfile:{line}: USER factgraph is not numeric; Kubernetes cannot verify runAsNonRoot for a user name"])

    def test_missing_user_is_refused(self):
        runtime_line = self.line_of("FROM scratch AS runtime")
        text = self.text.replace("USER 10001:10001\n", "")
        self.assertEqual(self.problems(text), [f"Dockerfile:{runtime_line}: the runtime stage sets no USER, so it runs as root"])

    def test_entrypoint_must_be_factgraphd_in_exec_form(self):
        line = self.line_of('ENTRYPOINT ["/usr/local/bin/factgraphd"]')
        text = self.text.replace('ENTRYPOINT ["/usr/local/bin/factgraphd"]', "ENTRYPOINT /usr/local/bin/factgraphd")
        self.assertEqual(self.problems(text), [
            f"Dockerfile:{line}: ENTRYPOINT is in shell form; SIGTERM would reach /bin/sh, not factgraphd"])

    def test_base_must_be_debian_12(self):
        line = self.line_of("FROM scratch AS runtime")
        text = self.text.replace("FROM scratch AS runtime", "FROM ubuntu:24.04 AS runtime")
        self.assertEqual(self.problems(text), [f"Dockerfile:{line}: stage base ubuntu:24.04 is not Debian 12"])

    def test_toolchain_in_runtime_is_refused(self):
        runtime_line = self.line_of("FROM scratch AS runtime")
        text = self.text.replace("USER 10001:10001\n", "RUN apt-get install -y libgrpc++-dev\nUSER 10001:10001\n")
        self.assertEqual(self.problems(text), [
            f"Dockerfile:{runtime_line}: the runtime stage installs development package libgrpc++-dev"])

    def test_setup_script_must_build(self):
        text = self.text.replace("RUN FACTGRAPH_SETUP_NO_BROWSER=1 scripts/setup.sh \\\n", "RUN true \\\n")
        self.assertEqual(self.problems(text), [
            "Dockerfile: no build stage runs scripts/setup.sh, so its packages may differ from the setup step"])

    def test_image_must_prove_its_seeds_load(self):
        start = self.text.index(" && deploy/check-seeds-load.sh --root=")
        end = self.text.index(" && rm -rf /tmp/image\n")
        text = self.text[:start] + self.text[end:]
        runtime_line = text.splitlines().index("FROM scratch AS runtime") + 1
        self.assertEqual(self.problems(text), [
            f"Dockerfile:{runtime_line}: neither the runtime stage nor a build stage in its root file system "
            "(check-seeds-load.sh --root=) starts factgraphd on its seeds, "
            "so an image with a refused knowledge base could be built"])

    def test_image_must_hold_the_nginx_configuration(self):
        start = self.text.index(" && deploy/nginx/render-conf.sh")
        end = self.text.index(" && cp -a /rootfs /tmp/image")
        self.assertEqual(self.problems(self.text[:start] + self.text[end:]), [
            "Dockerfile: no build stage renders deploy/nginx/factgraph-grpc.conf.template into the image "
            "(render-conf.sh ... > /rootfs/...), so no proxy holds HTTP/2 rapid reset in front of factgraphd"])

    def test_seeds_must_be_in_the_image(self):
        runtime_line = self.line_of("FROM scratch AS runtime")
        text = self.text.replace("COPY --from=build /out/seeds /usr/share/factgraph/seeds\n", "")
        self.assertEqual(self.problems(text), [
            f"Dockerfile:{runtime_line}: the runtime stage copies no seeds or snapshot from a build stage"])


class ParsingTest(unittest.TestCase):
    def test_durations(self):
        self.assertEqual(check_deploy.parse_duration_seconds("10s"), 10.0)
        self.assertEqual(check_deploy.parse_duration_seconds("1m30s"), 90.0)
        self.assertEqual(check_deploy.parse_duration_seconds("250ms"), 0.25)
        with self.assertRaisesRegex(ValueError, "not a duration: '10'"):
            check_deploy.parse_duration_seconds("10")

    def test_quantities(self):
        self.assertEqual(check_deploy.parse_quantity("cpu", "250m"), 0.25)
        self.assertEqual(check_deploy.parse_quantity("cpu", 2), 2.0)
        self.assertEqual(check_deploy.parse_quantity("memory", "128Mi"), 128 * 2**20)
        with self.assertRaisesRegex(ValueError, "not a memory quantity: '1XB'"):
            check_deploy.parse_quantity("memory", "1XB")


if __name__ == "__main__":
    ROOT = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
