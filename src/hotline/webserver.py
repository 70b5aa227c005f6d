"""How `hotline serve` and `hotline demo` serve the console: uvicorn's settings, TLS, files.

`Listen` says where the console listens, with which certificate, and which reverse
proxies are trusted. uvicorn believes ``X-Forwarded-For`` and ``X-Forwarded-Proto``
from the addresses `Listen.trusted_proxies` names only — by default none, so the
client address in the audit log and in login throttling is the real peer's and a
made-up header changes nothing. `self_signed` makes a certificate for trying HTTPS
out (``hotline demo --tls``), with the `cryptography` package. `keep_private` makes
the database file and the recordings folder readable by their owner only.
"""

from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import os
from pathlib import Path
from typing import Any

import uvicorn

from hotline.core.errors import HotlineError


class ListenError(HotlineError):
    error_id = "bad-listen-option"


@dataclasses.dataclass(frozen=True)
class Listen:
    """The console's address, its TLS certificate and key (PEM files), and the reverse
    proxies whose forwarded headers are believed (addresses or networks; ``*`` for any)."""

    host: str = "127.0.0.1"
    port: int = 8000
    tls_cert: Path | None = None
    tls_key: Path | None = None
    trusted_proxies: tuple[str, ...] = ()

    @property
    def scheme(self) -> str:
        return "https" if self.tls_cert is not None else "http"

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    def check(self) -> None:
        """Refuse, in words, a certificate without its key (or the reverse) and files that
        are not there. Raises `ListenError`."""
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ListenError("--tls-cert and --tls-key go together: give both or neither")
        for option, path in (("--tls-cert", self.tls_cert), ("--tls-key", self.tls_key)):
            if path is not None and not path.is_file():
                raise ListenError(f"{option} {path}: no such file")


def uvicorn_config(app: Any, listen: Listen, **options: Any) -> uvicorn.Config:
    """uvicorn's settings for `app` on `listen`: forwarded headers believed only from the
    trusted proxies (never from whoever connects), TLS when a certificate is given."""
    trusted = ",".join(listen.trusted_proxies)
    return uvicorn.Config(
        app,
        host=listen.host,
        port=listen.port,
        log_level="warning",
        lifespan="on",
        proxy_headers=bool(trusted),
        # an empty string, not None: None would read FORWARDED_ALLOW_IPS or trust 127.0.0.1
        forwarded_allow_ips=trusted,
        ssl_certfile=str(listen.tls_cert) if listen.tls_cert else None,
        ssl_keyfile=str(listen.tls_key) if listen.tls_key else None,
        **options,
    )


def proxies(text: str) -> tuple[str, ...]:
    """``--forwarded-allow-ips`` as a tuple: comma-separated addresses, networks or ``*``.
    Raises `ValueError` naming an entry that is none of these."""
    entries = tuple(part.strip() for part in text.split(",") if part.strip())
    for entry in entries:
        if entry == "*" or entry.startswith("unix:"):
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"not an address or network: {entry!r}") from None
    return entries


def self_signed(folder: Path, host: str) -> tuple[Path, Path]:
    """A self-signed certificate and its key for `host` (and localhost, 127.0.0.1, ::1),
    valid a year, written to `folder` (the key readable by its owner only); reused while
    valid. Raises `ListenError` when the `cryptography` package is missing."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        raise ListenError(
            "--tls needs the cryptography package (pip install cryptography), "
            "or give your own certificate with --tls-cert and --tls-key"
        ) from None
    cert_path, key_path = folder / "demo-cert.pem", folder / "demo-key.pem"
    now = datetime.datetime.now(datetime.UTC)
    if cert_path.is_file() and key_path.is_file():
        existing = x509.load_pem_x509_certificate(cert_path.read_bytes())
        if existing.not_valid_after_utc > now + datetime.timedelta(days=1):
            return cert_path, key_path
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Hotline demo ({host})")])
    names: list[x509.GeneralName] = [x509.DNSName("localhost")]
    for address in {host, "127.0.0.1", "::1"}:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(address)))
        except ValueError:
            names.append(x509.DNSName(address))
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(key_bytes)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def sqlite_file(db_url: str) -> Path | None:
    """The file of an ``sqlite:///`` URL, or None for another database."""
    prefix = "sqlite:///"
    return Path(db_url[len(prefix) :]) if db_url.startswith(prefix) else None


def keep_private(db_url: str, *folders: Path) -> None:
    """Make an existing SQLite database (with its WAL and shared-memory files) readable and
    writable by its owner only (0600), and the given folders, when they exist, 0700.

    Files created afterwards are private through the process's umask (0o077, set by the
    CLI); this covers those an earlier run, or another tool, left open to others.
    """
    database = sqlite_file(db_url)
    if database is not None:
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            if path.is_file():
                path.chmod(0o600)
    for folder in folders:
        if folder.is_dir():
            folder.chmod(0o700)
