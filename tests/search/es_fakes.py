"""Tiny local stand-ins for a secured Elasticsearch, so failures are classified without a cluster:
an HTTP(S) server that answers every request like Elasticsearch does (``X-Elastic-Product`` header,
the JSON error body for 401), and certificates made in the test with ``cryptography``.
"""

import contextlib
import datetime as dt
import ipaddress
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

UNAUTHORIZED_BODY = {
    "error": {
        "root_cause": [
            {
                "type": "security_exception",
                "reason": "unable to authenticate with provided credentials and anonymous access is not allowed for this request",
                "header": {"WWW-Authenticate": ['Basic realm="security"', "ApiKey"]},
            }
        ],
        "type": "security_exception",
        "reason": "unable to authenticate with provided credentials and anonymous access is not allowed for this request",
        "header": {"WWW-Authenticate": ['Basic realm="security"', "ApiKey"]},
    },
    "status": 401,
}
CLUSTER_INFO = {
    "name": "fake-node",
    "cluster_name": "fake-cluster",
    "version": {"number": "8.19.0", "build_flavor": "default"},
    "tagline": "You Know, for Search",
}


def _handler(status: int, seen: list):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            seen.append({"path": self.path, "authorization": self.headers.get("Authorization", "")})
            body = json.dumps(UNAUTHORIZED_BODY if status == 401 else CLUSTER_INFO).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Elastic-Product", "Elasticsearch")
            if status == 401:
                self.send_header("WWW-Authenticate", 'Basic realm="security", ApiKey')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _answer

        def log_message(self, *args):
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client refusing our certificate is the point of some tests


@contextlib.contextmanager
def fake_elasticsearch(*, status: int = 401, tls: tuple[Path, Path] | None = None):
    """A server on 127.0.0.1 answering every request with ``status`` (401: Elasticsearch's
    authentication error). ``tls=(cert, key)`` serves https. Yields (url, requests seen)."""
    seen: list = []
    server = _QuietServer(("127.0.0.1", 0), _handler(status, seen))
    scheme = "http"
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile=str(tls[0]), keyfile=str(tls[1]))
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_port}", seen
    finally:
        server.shutdown()
        server.server_close()


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def certificates_make(directory: Path, *, host: str = "127.0.0.1") -> dict[str, Path]:
    """A CA, a server certificate it signed for ``host`` (an IP), and an unrelated CA:
    ``{"ca", "cert", "key", "other_ca"}`` as PEM files in ``directory``."""
    now = dt.datetime.now(dt.UTC)
    paths = {}

    def ca(common_name: str):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(_name(common_name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        return key, cert

    ca_key, ca_cert = ca("kepu test CA")
    _other_key, other_cert = ca("some other CA")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(host))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    for name, value in {"ca": ca_cert, "other_ca": other_cert, "cert": cert}.items():
        paths[name] = directory / f"{name}.pem"
        paths[name].write_bytes(value.public_bytes(serialization.Encoding.PEM))
    paths["key"] = directory / "key.pem"
    paths["key"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return paths
