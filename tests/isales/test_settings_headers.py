"""Every page answers with a Content-Security-Policy (nonce for inline blocks) and a Permissions-Policy."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_has_csp_and_permissions_policy(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", csp)
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "microphone=()" in response.headers["Permissions-Policy"]


def test_inline_script_on_today_carries_the_header_nonce(client, rep):
    client.force_login(rep)
    response = client.get(reverse("today"))
    assert response.status_code == 200
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", html)
    assert inline, "today draws its chart from an inline script"
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert not re.search(r"\son(change|click|submit|load)=", html)


def test_api_docs_are_served_from_this_server(client, ops):
    client.force_login(ops)
    html = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "//cdn" not in html and "https://" not in html
    redoc = client.get(reverse("api-redoc")).content.decode()
    assert "redoc.standalone.js" in redoc
    assert "https://" not in redoc
