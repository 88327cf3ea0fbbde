"""Valid (checksummed) but invented identifiers for demo and test data."""

from __future__ import annotations

import datetime as dt
import random

from schwifty import IBAN
from stdnum import luhn


def be_company_number(seed: int) -> str:
    digits = f"0{(seed * 7919) % 10**7:07d}"  # BE enterprise numbers start with 0 or 1
    return f"{digits}{97 - int(digits) % 97:02d}"


def fr_siren(seed: int) -> str:
    digits = f"{(seed * 104729) % 100000000:08d}"
    return digits + luhn.calc_check_digit(digits)


def fr_vat(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def se_orgnr(seed: int) -> str:
    digits = f"769{(seed * 7907) % 1000000:06d}"  # 7 = economic association
    return digits + luhn.calc_check_digit(digits)


def be_national_number(birth: dt.date, serial: int) -> str:
    body = f"{birth:%y%m%d}{serial % 998 + 1:03d}"
    salted = ("2" + body) if birth.year >= 2000 else body
    return body + f"{97 - int(salted) % 97:02d}"


def fr_nir(birth: dt.date, serial: int, female: bool) -> str:
    body = f"{2 if female else 1}{birth:%y%m}75{serial % 900 + 100:03d}{serial % 999 + 1:03d}"
    return body + f"{97 - int(body) % 97:02d}"


def se_personnummer(birth: dt.date, serial: int) -> str:
    body = f"{birth:%y%m%d}{serial % 999 + 1:03d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def iban(country: str, rng: random.Random) -> str:
    if country == "BE":
        bank, account = f"{rng.randint(1, 999):03d}", f"{rng.randint(0, 9999999):07d}"
        return str(IBAN.generate("BE", bank_code=bank, account_code=account))
    if country == "FR":
        return str(
            IBAN.generate(
                "FR",
                bank_code="30006",
                branch_code=f"{rng.randint(1, 99999):05d}",
                account_code=f"{rng.randint(0, 10**11 - 1):011d}",
            )
        )
    return str(
        IBAN.generate("SE", bank_code="500", account_code=f"{rng.randint(0, 10**10 - 1):010d}")
    )
