"""Transport security and start-up refusal against the real factgraphd:
TLS and mutual TLS with certificates made by openssl at test time, the
admin token, and a knowledge base with every kind of error at start."""

import subprocess
import unittest

import fgtest
import hardening_support
from fgtest import admin_service_pb2, admin_service_pb2_grpc
from fgtest import factgraph_service_pb2 as fg
from fgtest import factgraph_service_pb2_grpc as fg_grpc
from fgtest import grpc


def info_status(channel):
    """The status code of one GetKnowledgeBaseInfo call on `channel`."""
    stub = fg_grpc.FactGraphServiceStub(channel)
    try:
        stub.GetKnowledgeBaseInfo(fg.GetKnowledgeBaseInfoRequest(), timeout=10)
        return grpc.StatusCode.OK
    except grpc.RpcError as error:
        return error.code()
    finally:
        channel.close()


class TransportSecurityTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.certs = hardening_support.Certificates()

    @classmethod
    def tearDownClass(cls):
        cls.certs.remove()

    def tls_channel(self, server, ca="ca.pem", client=None):
        credentials = grpc.ssl_channel_credentials(
            root_certificates=self.certs.read(ca),
            private_key=self.certs.read(client + ".key") if client else None,
            certificate_chain=self.certs.read(client + ".pem") if client else None)
        return grpc.secure_channel(server.target, credentials)

    def tls_flags(self, mutual):
        flags = ["--tls_cert_file=" + self.certs.path("server.pem"),
                 "--tls_key_file=" + self.certs.path("server.key")]
        if mutual:
            flags.append("--tls_client_ca_file=" + self.certs.path("ca.pem"))
        return flags

    def test_tls_server_refuses_plaintext_and_serves_tls(self):
        with fgtest.running_server(*self.tls_flags(mutual=False)) as server:
            self.assertEqual(info_status(server.channel()), grpc.StatusCode.UNAVAILABLE)
            # A client that does not trust the server's CA does not connect.
            self.assertEqual(info_status(self.tls_channel(server, ca="other-ca.pem")),
                             grpc.StatusCode.UNAVAILABLE)
            self.assertEqual(info_status(self.tls_channel(server)), grpc.StatusCode.OK)
            # Without a client CA the server does not ask for certificates.
            self.assertEqual(info_status(self.tls_channel(server, client="client")),
                             grpc.StatusCode.OK)

    def test_mutual_tls_needs_a_client_certificate_from_the_ca(self):
        with fgtest.running_server(*self.tls_flags(mutual=True)) as server:
            self.assertEqual(info_status(server.channel()), grpc.StatusCode.UNAVAILABLE)
            self.assertEqual(info_status(self.tls_channel(server)),
                             grpc.StatusCode.UNAVAILABLE)
            self.assertEqual(info_status(self.tls_channel(server, client="stranger")),
                             grpc.StatusCode.UNAVAILABLE)
            self.assertEqual(info_status(self.tls_channel(server, client="client")),
                             grpc.StatusCode.OK)

    def test_admin_over_mutual_tls_still_needs_the_token(self):
        with fgtest.running_server(*self.tls_flags(mutual=True),
                                   admin_token="s3cret-admin") as server:
            channel = self.tls_channel(server, client="client")
            admin = admin_service_pb2_grpc.AdminServiceStub(channel)
            request = admin_service_pb2.ReloadKnowledgeBaseRequest()
            for metadata in ((), (("authorization", "Bearer wrong"),),
                             (("authorization", "Bearer s3cret-admin-and-more"),),
                             (("authorization", "Bearer "),),
                             (("authorization", "s3cret-admin"),),
                             (("authorization", "Basic s3cret-admin"),)):
                with self.assertRaises(grpc.RpcError) as caught:
                    admin.ReloadKnowledgeBase(request, metadata=metadata, timeout=10)
                self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAUTHENTICATED,
                                 metadata)
            response = admin.ReloadKnowledgeBase(
                request, metadata=(("authorization", "Bearer s3cret-admin"),), timeout=60)
            self.assertFalse(response.changed)
            channel.close()

    def test_missing_or_unreadable_tls_files_stop_the_start(self):
        out = subprocess.run(
            [fgtest.FACTGRAPHD, "--listen=127.0.0.1:0",
             "--tls_cert_file=" + self.certs.path("absent.pem"),
             "--tls_key_file=" + self.certs.path("server.key")],
            capture_output=True, text=True, timeout=60)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("absent.pem", out.stderr)
        # A certificate with the wrong key cannot serve.
        out = subprocess.run(
            [fgtest.FACTGRAPHD, "--listen=127.0.0.1:0",
             "--tls_cert_file=" + self.certs.path("server.pem"),
             "--tls_key_file=" + self.certs.path("client.key")],
            capture_output=True, text=True, timeout=60)
        self.assertNotEqual(out.returncode, 0)


class StartupTest(unittest.TestCase):

    def test_every_kind_of_error_at_start_exits_nonzero_listing_each(self):
        for broken in hardening_support.BROKEN_KNOWLEDGE_BASES:
            with self.subTest(broken):
                seeds = hardening_support.broken_seeds(broken)
                out = subprocess.run(
                    [fgtest.FACTGRAPHD, "--listen=127.0.0.1:0", "--seeds=" + seeds],
                    capture_output=True, text=True, timeout=120)
                self.assertEqual(out.returncode, 1, out.stderr)
                expected = hardening_support.expected_load_errors(broken)
                self.assertGreaterEqual(len(expected), 2)
                lines = out.stderr.splitlines()
                # Every error, in order, right after the count.
                header = [i for i, line in enumerate(lines)
                          if line.endswith(" has %d problems:" % len(expected))]
                self.assertEqual(len(header), 1, out.stderr)
                # The log indents a message's continuation lines
                # (log_text.h), so that none looks like an entry.
                errors = lines[header[0] + 1:]
                for line in errors:
                    self.assertTrue(line.startswith("  "), line)
                self.assertEqual([line[2:] for line in errors], expected)


if __name__ == "__main__":
    unittest.main()
