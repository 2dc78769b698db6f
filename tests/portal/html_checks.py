"""Assertions on rendered HTML that the strict Content-Security-Policy relies on."""

import re

from django.http import HttpResponse

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTR = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE)
EVENT_ATTR = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def assert_csp_clean(response: HttpResponse) -> str:
    """The page sends the CSP header and has nothing the policy would block: every <script> loads a file or is
    json_script data, and there is no <style>, style="" attribute, on…= handler or javascript: URL."""
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, policy
    assert "style-src 'self'" in policy, policy
    assert "unsafe-inline" not in policy, policy
    html = response.content.decode()
    for attributes in SCRIPT_TAG.findall(html):
        assert " src=" in f" {attributes}" or 'type="application/json"' in attributes, f"inline script: {attributes}"
    assert not STYLE_TAG.search(html), "inline <style> element"
    assert not STYLE_ATTR.search(html), f"style attribute: {STYLE_ATTR.search(html).group(0)}"
    assert not EVENT_ATTR.search(html), f"event handler attribute: {EVENT_ATTR.search(html).group(0)}"
    assert not JS_URL.search(html), "javascript: URL"
    return html
