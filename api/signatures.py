"""Webhook authenticity: our HMAC-SHA256 header and GoHighLevel's RSA x-wh-signature."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

HMAC_HEADER = "X-Webhook-Signature"
GHL_HEADER = "x-wh-signature"


def hmac_signature(secret: str, body: bytes) -> str:
    """The header value a sender puts in X-Webhook-Signature for this body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def hmac_valid(secret: str, body: bytes, header: str | None) -> bool:
    if not header:
        return False
    # As bytes: compare_digest refuses a str with non-ASCII characters (TypeError, a 500).
    return hmac.compare_digest(hmac_signature(secret, body).encode(),
                               header.strip().encode("utf-8", "surrogateescape"))


class GhlVerifier:
    """Checks GoHighLevel's base64 RSA-SHA256 signature with its published public key."""

    def __init__(self, public_key_pem: str) -> None:
        pem = public_key_pem.replace("\\n", "\n").encode()
        key = serialization.load_pem_public_key(pem)
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("GHL_WEBHOOK_PUBLIC_KEY is not an RSA public key")
        self.key = key

    def valid(self, body: bytes, header: str | None) -> bool:
        if not header:
            return False
        try:
            signature = base64.b64decode(header.strip(), validate=True)
            self.key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True
