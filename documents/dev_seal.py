"""A development CA and an organisation seal certificate for the local stack (never for production).

``make run`` calls :func:`ensure_dev_seal` with its secrets directory: on the first run it
creates a CA and a seal certificate issued by it, a PKCS#12 file holding the seal's key and
chain, and the file with that file's password, each readable by the owner only (0600). The
seal is then loaded exactly like production's configured PKCS#12 (:func:`documents.seal.load_seal`).
"""

from __future__ import annotations

import fcntl
import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from documents.seal import SealFiles

CA_FILE = "dev-seal-ca.pem"
CA_KEY_FILE = "dev-seal-ca.key.pem"
P12_FILE = "dev-seal.p12"
PASSWORD_FILE = "dev-seal.p12.password"
_VALID_FOR = timedelta(days=10 * 365)


def ensure_dev_seal(secrets_dir: Path) -> SealFiles:
    """The development seal's files in ``secrets_dir``, created (0600, directory 0700) when missing."""
    files = SealFiles(
        p12=secrets_dir / P12_FILE, password_file=secrets_dir / PASSWORD_FILE, trust_root=secrets_dir / CA_FILE
    )
    if _complete(files):
        return files
    secrets_dir.mkdir(parents=True, exist_ok=True)
    secrets_dir.chmod(0o700)
    # Several workers (or test processes) may start at once: one makes the set (holding a lock on the folder
    # itself, so no lock file is left behind), the others wait and use it.
    folder = os.open(secrets_dir, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        if not _complete(files):
            _create(secrets_dir, files)
    finally:
        os.close(folder)  # releases the lock
    return files


def _complete(files: SealFiles) -> bool:
    assert files.trust_root is not None
    return files.p12.exists() and files.password_file.exists() and files.trust_root.exists()


def _create(secrets_dir: Path, files: SealFiles) -> None:
    assert files.trust_root is not None
    now = datetime.now(UTC).replace(microsecond=0)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca_name = _name("Skolinspektionen utvecklings-CA (ej giltig)")
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    seal_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    seal_cert = (
        _builder(_name("Skolinspektionen (utvecklingsmiljö)"), ca_name, seal_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    password = secrets.token_urlsafe(24)
    p12 = pkcs12.serialize_key_and_certificates(
        name=b"seal",
        key=seal_key,
        cert=seal_cert,
        cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )
    ca_key_pem = ca_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write_private(secrets_dir / CA_KEY_FILE, ca_key_pem)
    _write_private(files.trust_root, ca_cert.public_bytes(serialization.Encoding.PEM))
    _write_private(files.password_file, password.encode())
    _write_private(files.p12, p12)  # last: its presence means the set is complete


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Skolinspektionen"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(subject: x509.Name, issuer: x509.Name, key: rsa.RSAPublicKey, now: datetime) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + _VALID_FOR)
    )


def _key_usage(cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a file only the owner can read, replacing it atomically."""
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    temporary.chmod(0o600)
    temporary.replace(path)
