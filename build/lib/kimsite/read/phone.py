"""Indonesian WhatsApp numbers and prefilled-message links (pure).

wa.me wants the number in international form without '+', spaces or the leading 0:
0812-3456-7890, +62 812 3456 7890 and 62812… all become 6281234567890.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# a mobile number: 62, then 8, then 8 to 11 more digits (08xx numbers have 10 to 13 digits)
_MOBILE = re.compile(r"^628[1-9]\d{7,10}$")
_SEPARATORS = re.compile(r"[\s().-]")


def normalise_whatsapp(number: str) -> str | None:
    """The wa.me form of an Indonesian mobile number, or None when it is not one."""
    digits = _SEPARATORS.sub("", str(number)).removeprefix("+")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits if _MOBILE.match(digits) else None


def whatsapp_link(number: str, text: str = "") -> str:
    """https://wa.me/<number>?text=<text, URL-encoded>; `number` already normalised."""
    return f"https://wa.me/{number}" + (f"?text={quote(text, safe='')}" if text else "")
