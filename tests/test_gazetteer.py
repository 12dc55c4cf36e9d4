"""Gazetteer: Arabic (incl. Maghreb) and English names, demonyms, keys, and a reproducible build."""

from __future__ import annotations

import pytest

from marsad.gazetteer import (
    PLACES_FILE,
    build_gazetteer,
    derive_demonym,
    load_gazetteer,
    name_key,
    read_places,
    variant_key,
)


@pytest.mark.parametrize("text,place_id", [
    ("المغرب", "MA"), ("المملكة المغربية", "MA"), ("والمملكة المغربية", "MA"), ("بالمغرب", "MA"),
    ("إسرائيل", "IL"), ("اسرائيل", "IL"), ("وإسرائيل", "IL"), ("أمريكا", "US"), ("الولايات المتحدة", "US"),
    ("سوريا", "SY"), ("سورية", "SY"), ("تونس", "TN"), ("بتونس", "TN"), ("الجزائر", "DZ"),
    ("الرباط", "MA:Rabat"), ("للرباط", "MA:Rabat"), ("الدار البيضاء", "MA:Casablanca"),
    ("بالدار البيضاء", "MA:Casablanca"), ("أكادير", "MA:Agadir"), ("أغادير", "MA:Agadir"),
    ("وجدة", "MA:Oujda"), ("صفاقس", "TN:Sfax"), ("ڨفصة", "TN:Gafsa"), ("قفصة", "TN:Gafsa"),
    ("وهران", "DZ:Oran"), ("أفريقيا", "region:Africa"), ("وإفريقيا", "region:Africa"),
    ("المغرب العربي", "region:Maghreb"), ("مسقط", "OM:Muscat"), ("غزة", "PS:Gaza"), ("وبيروت", "LB:Beirut"),
])
def test_arabic_lookup(text: str, place_id: str) -> None:
    p = load_gazetteer().lookup(text)
    assert p is not None and p.id == place_id, (text, p)


@pytest.mark.parametrize("text", ["بيني غانتس", "وزير", "الاتفاق الأمني", "", "رياض", "القطر", "مغرب"])
def test_non_places_not_found(text: str) -> None:
    assert load_gazetteer().lookup(text) is None


def test_place_fields() -> None:
    ma = load_gazetteer().get("MA")
    assert ma is not None and ma.ar == "المغرب" and ma.en == "Morocco" and ma.kind == "country"
    rabat = load_gazetteer().lookup("الرباط")
    assert rabat is not None and rabat.country == "MA" and rabat.lat is not None and rabat.lon is not None
    assert abs(rabat.lat - 34.01) < 0.1 and rabat.lon < 0


@pytest.mark.parametrize("text,cc", [
    ("الإسرائيلي", "IL"), ("الإسرائيلية", "IL"), ("المغربية", "MA"), ("المغاربة", "MA"), ("الفلسطينيين", "PS"),
    ("الأمريكية", "US"), ("التونسي", "TN"), ("الفرنسي", "FR"), ("الروسية", "RU"), ("الجزائريين", "DZ"),
    ("المصرية", "EG"), ("الأتراك", "TR"),
])
def test_demonyms(text: str, cc: str) -> None:
    p = load_gazetteer().lookup_demonym(text)
    assert p is not None and p.country == cc, (text, p)


@pytest.mark.parametrize("text", ["الأوروبي", "العربية", "الحكومة"])
def test_demonym_misses(text: str) -> None:
    assert load_gazetteer().lookup_demonym(text) is None


@pytest.mark.parametrize("name,demonym", [("فرنسا", "فرنسي"), ("روسيا", "روسي"), ("المغرب", "مغربي"),
                                          ("السعودية", "سعودي"), ("إسرائيل", "إسرائيلي")])
def test_derive_demonym(name: str, demonym: str) -> None:
    assert derive_demonym(name) == demonym


@pytest.mark.parametrize("text,place_id", [("Morocco", "MA"), ("kingdom of morocco", "MA"), ("Rabat", "MA:Rabat"),
                                           ("USA", "US"), ("Fès", "MA:Fez"), ("Tunisia", "TN")])
def test_english_lookup(text: str, place_id: str) -> None:
    p = load_gazetteer().search(text)
    assert p is not None and p.id == place_id


@pytest.mark.parametrize("a,b", [("هارتس", "هآرتس"), ("إسرائيل", "اسرائيل"), ("مدرسة", "مدرسه"), ("مستشفى", "مستشفي")])
def test_name_key_variants(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a,b", [("غانتس", "جانتس"), ("أكادير", "أغادير"), ("گانتس", "غانتس")])
def test_variant_key_g_letters(a: str, b: str) -> None:
    assert name_key(a) != name_key(b) and variant_key(a) == variant_key(b)


@pytest.mark.slow
def test_build_is_reproducible(data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    counts = build_gazetteer(data_dir, tmp_path)
    assert counts["country"] == 250 and counts["city"] > 2000 and counts["region"] >= 5
    shipped = (load_gazetteer.__globals__["RESOURCE_DIR"] / PLACES_FILE).read_bytes()
    assert (tmp_path / PLACES_FILE).read_bytes() == shipped
    assert len(read_places(tmp_path / PLACES_FILE)) == sum(counts.values())


def test_arabic_names_for_query_expansion() -> None:
    names = load_gazetteer().arabic_names("Morocco")
    assert names[0] == "المغرب" and "المملكة المغربية" in names
    assert load_gazetteer().arabic_names("Atlantis") == []
