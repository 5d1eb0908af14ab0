"""Issue 14, row 2: the app itself serves the codec endpoint the Temporal UI is pointed at (``make run``).

An admin's page session opens sealed payloads from the UI's origin (CORS with credentials); a bearer
token works as well (the CLI); staff without the admin or auditor role and strangers do not.
"""

from __future__ import annotations

import base64
import json

from temporalio.api.common.v1 import Payload
from temporalio.converter import WorkflowSerializationContext

from runtime.codec import EncryptionCodec
from tests.security.conftest import Site

UI = "http://127.0.0.1:8233"


def sealed_body(site: Site) -> tuple[str, bytes]:
    secret = json.dumps({"title": "Hemlig rubrik"}).encode()
    plain = Payload(metadata={"encoding": b"json/plain"}, data=secret)
    context = WorkflowSerializationContext(namespace="default", workflow_id="case-x")
    sealed = EncryptionCodec(site.keyring).with_context(context).seal(plain)
    payload = {
        "metadata": {k: base64.b64encode(v).decode() for k, v in sealed.metadata.items()},
        "data": base64.b64encode(sealed.data).decode(),
    }
    return json.dumps({"payloads": [payload]}), secret


async def test_the_ui_opens_sealed_payloads_with_an_admins_session(site: Site) -> None:
    await site.add_user("admin.one", "admin")
    body, secret = sealed_body(site)
    async with site.logged_in("admin.one") as browser:
        preflight = await browser.options("/codec/decode", headers={"Origin": UI})
        assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == UI
        answer = await browser.post(
            "/codec/decode", content=body, headers={"Origin": UI, "Content-Type": "application/json"}
        )
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-credentials"] == "true"
    opened = answer.json()["payloads"][0]
    assert base64.b64decode(opened["data"]) == secret


async def test_only_admins_and_auditors_and_nobody_anonymous(site: Site) -> None:
    await site.add_user("anna", "inspector")
    await site.add_user("aud", "auditor")
    body, _ = sealed_body(site)
    headers = {"Content-Type": "application/json"}
    assert (await site.http.post("/codec/decode", content=body, headers=headers)).status_code == 401
    inspector = await site.http.post("/codec/decode", content=body, headers={**headers, **await site.as_("anna")})
    assert inspector.status_code == 403
    auditor = await site.http.post("/codec/decode", content=body, headers={**headers, **await site.as_("aud")})
    assert auditor.status_code == 200
    assert (await site.http.post("/codec/encode", content=body, headers=headers)).status_code in (404, 405)
