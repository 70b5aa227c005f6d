"""Made-up customer records for the demo's simulated callers (the same number, the same record)."""

from __future__ import annotations

import hashlib
from typing import Any

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]
_REGIONS = ["朝阳区", "海淀区", "东城区", "西城区", "丰台区"]


def synthetic_customer(phone: str, tier: str, list_mark: str) -> dict[str, Any]:
    """A simulated caller's customer record (name, ID number, 户号, address), derived from
    the number alone, with the tier and list mark the call arrived with."""
    digest = int(hashlib.blake2b(phone.encode(), digest_size=8).hexdigest(), 16)
    name = _SURNAMES[digest % len(_SURNAMES)] + _GIVEN[(digest >> 8) % len(_GIVEN)]
    region = _REGIONS[(digest >> 16) % len(_REGIONS)]
    return {
        "name": name,
        "phone": phone,
        "id_number": f"110105{1960 + digest % 45}{(digest >> 4) % 12 + 1:02d}"
        f"{(digest >> 9) % 28 + 1:02d}{digest % 10000:04d}",
        "account": f"01{digest % 10**8:08d}",
        "address": f"北京市{region}{(digest >> 20) % 200 + 1}号",
        "tier": tier,
        "list_mark": list_mark,
    }
