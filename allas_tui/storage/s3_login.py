"""What an S3 login is, as plain data: finding credentials at start does not
import boto3 (~0.2 s); the client is made in s3.py."""

from __future__ import annotations

from dataclasses import dataclass, field

ALLAS_S3_ENDPOINT = "https://a3s.fi"
"""Where Allas serves S3."""
DEFAULT_REGION = "us-east-1"
"""radosgw accepts any region; Swift's s3api accepts only its configured one,
which defaults to this."""


@dataclass(frozen=True, slots=True)
class S3Login:
    """What it takes to sign S3 requests to one endpoint."""

    access_key: str = field(repr=False)
    secret_key: str = field(repr=False)
    endpoint_url: str = ALLAS_S3_ENDPOINT
    region: str = DEFAULT_REGION
    session_token: str | None = field(default=None, repr=False)
    ca_bundle: str | None = None
    """A CA file to trust; None leaves it to AWS_CA_BUNDLE and ~/.aws/config."""
    project: str | None = None
    """A label for the project these keys belong to, where known."""

    def secrets(self) -> list[str]:
        """The secret key, and the session token if there is one."""
        return [s for s in (self.secret_key, self.session_token) if s]
