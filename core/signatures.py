"""Webhook authenticity: our HMAC-SHA256 header, GoHighLevel's Ed25519 X-GHL-Signature and its
older RSA x-wh-signature. Every check answers True/False: a malformed or non-ASCII header is
simply not a valid signature (401), never an error."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

HMAC_HEADER = "X-Webhook-Signature"
GHL_HEADER = "x-wh-signature"
GHL_ED25519_HEADER = "X-GHL-Signature"


def hmac_signature(secret: str, body: bytes) -> str:
    """The header value a sender puts in X-Webhook-Signature for this body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def hmac_valid(secret: str, body: bytes, header: str | None) -> bool:
    if not header:
        return False
    sent = header.strip().encode("utf-8", "surrogateescape")
    return hmac.compare_digest(hmac_signature(secret, body).encode(), sent)


class _Base64Signature:
    """A base64 signature header checked with a public key; anything malformed is invalid."""

    def _verify(self, signature: bytes, body: bytes) -> None:
        raise NotImplementedError

    def valid(self, body: bytes, header: str | None) -> bool:
        if not header:
            return False
        try:
            self._verify(base64.b64decode(header.strip(), validate=True), body)
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


class GhlVerifier(_Base64Signature):
    """Checks GoHighLevel's base64 RSA-SHA256 signature with its published public key."""

    def __init__(self, public_key_pem: str) -> None:
        pem = public_key_pem.replace("\\n", "\n").encode()
        key = serialization.load_pem_public_key(pem)
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("GHL_WEBHOOK_PUBLIC_KEY is not an RSA public key")
        self.key = key

    def _verify(self, signature: bytes, body: bytes) -> None:
        self.key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())


class Ed25519Verifier(_Base64Signature):
    """Checks GoHighLevel's X-GHL-Signature: base64 Ed25519 over the raw body.

    The key is GoHighLevel's published public key: PEM, or the raw 32 bytes in base64.
    """

    def __init__(self, public_key: str) -> None:
        text = public_key.replace("\\n", "\n").strip()
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
        else:
            try:
                raw = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ValueError("GHL_WEBHOOK_ED25519_PUBLIC_KEY is neither PEM nor "
                                 "base64") from exc
            key = ed25519.Ed25519PublicKey.from_public_bytes(raw)
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise ValueError("GHL_WEBHOOK_ED25519_PUBLIC_KEY is not an Ed25519 public key")
        self.key = key

    def _verify(self, signature: bytes, body: bytes) -> None:
        self.key.verify(signature, body)
