"""The nginx site file for N replicas, written from the one template deploy/nginx/veiligheidsbeeld.conf.

    python -m deploy.render --server-name veiligheidsbeeld.gemeente.nl \\
        --replica 127.0.0.1:8501 --replica 127.0.0.1:8502 \\
        --certificate /etc/ssl/certs/veiligheidsbeeld.pem \\
        --certificate-key /etc/ssl/private/veiligheidsbeeld.key \\
        > /etc/nginx/sites-available/veiligheidsbeeld

Run from the project folder (the upload limit comes from ivpdata/importing/limits.py). The test
tests/test_deploy_replicas.py renders the same template with its own ports and paths."""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ivpdata.importing.limits import MAX_BOUNDARY_BYTES, MB

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "veiligheidsbeeld.conf"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
FORM_MARGIN_MB = 1  # a multipart upload carries a few hundred bytes beside the file itself


@dataclass(frozen=True)
class Site:
    """What differs between one installation (or the test) and another."""

    server_name: str
    replicas: Sequence[str]  # host:port of each Streamlit replica
    certificate: Path
    certificate_key: Path
    https_listen: str = "443"  # an nginx `listen` address: "443", "127.0.0.1:8443"
    http_listen: str = "80"
    access_log: Path = Path("/var/log/nginx/veiligheidsbeeld.access.log")


def max_body() -> str:
    """client_max_body_size: the app's largest upload plus the form around it, in nginx's 'm'."""
    return f"{math.ceil(MAX_BOUNDARY_BYTES / MB) + FORM_MARGIN_MB}m"


def _port_suffix(listen: str) -> str:
    """':8443' for a redirect to a port other than 443; '' for 443."""
    port = listen.rsplit(":", 1)[-1]
    return "" if port == "443" else f":{port}"


def render(site: Site) -> str:
    """The template with every placeholder filled; fails on a placeholder it does not know."""
    if not site.replicas:
        raise ValueError("at least one replica (host:port) is needed")
    values = {
        "SERVER_NAME": site.server_name,
        "REPLICA_SERVERS": "\n".join(f"    server {r} max_fails=1 fail_timeout=10s;" for r in site.replicas),
        "HTTPS_LISTEN": site.https_listen,
        "HTTP_LISTEN": site.http_listen,
        "HTTPS_PORT_SUFFIX": _port_suffix(site.https_listen),
        "CERTIFICATE": str(site.certificate),
        "CERTIFICATE_KEY": str(site.certificate_key),
        "ACCESS_LOG": str(site.access_log),
        "MAX_BODY": max_body(),
    }
    unknown = set(PLACEHOLDER.findall(TEMPLATE.read_text(encoding="utf-8"))) - set(values)
    if unknown:
        raise ValueError(f"the template has placeholders render() does not fill: {sorted(unknown)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], TEMPLATE.read_text(encoding="utf-8"))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.render", description=__doc__.split("\n")[0])
    parser.add_argument("--server-name", required=True, help="the host name users open")
    parser.add_argument("--replica", action="append", required=True, help="host:port of a replica (repeat)")
    parser.add_argument("--certificate", type=Path, required=True, help="certificate chain (PEM)")
    parser.add_argument("--certificate-key", type=Path, required=True, help="its private key (PEM)")
    parser.add_argument("--https-listen", default="443")
    parser.add_argument("--http-listen", default="80")
    parser.add_argument("--access-log", type=Path, default=Site.access_log)
    args = parser.parse_args(argv)
    site = Site(
        args.server_name,
        args.replica,
        args.certificate,
        args.certificate_key,
        args.https_listen,
        args.http_listen,
        args.access_log,
    )
    sys.stdout.write(render(site))


if __name__ == "__main__":
    main()
