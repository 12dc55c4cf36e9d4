"""The web app in-process (FastAPI TestClient): every API endpoint and page, bad parameters, token, limits."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from marsad.store import open_store
from marsad.web.app import SecurityHeaders, create_app
from marsad.workflows import ingest

TOKEN = "test-token-7f3a-123"
SEED_ID = "bfab4527089b7e39"
GANTZ = "بيني غانتس"
XSS_TITLE = "<script>alert('title')</script> عنوان <img src=x onerror=alert(1)>"
RECORDS = [
    {"title": "غانتس يزور واشنطن لبحث صفقة أسلحة", "site": "hespress", "date": "2022-03-01",
     "text": "التقى وزير الدفاع الإسرائيلي بيني غانتس نظيره الأمريكي في واشنطن. وقال غانتس “نحن نعمل معا من أجل "
             "الأمن”. وبحث الجانبان صفقة أسلحة جديدة."},
    {"title": "المغرب يوقع اتفاقية مع إسبانيا", "site": "alyaoum24", "date": "2022-03-05",
     "text": "وقع المغرب وإسبانيا اتفاقية للتعاون الاقتصادي في مدريد. وقال وزير الخارجية المغربي ناصر بوريطة إن "
             "الاتفاق مهم."},
    {"title": "إعادة نشر: غانتس في واشنطن", "site": "repost", "date": "2022-03-02"},  # text: a copy of the first
    {"title": XSS_TITLE, "site": "evil", "date": "2022-03-06", "url": "javascript:alert(3)",
     "text": "نص فيه <img src=x onerror=alert(1)> و <script>alert(2)</script> عن غانتس في الرباط."},
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> str:
    RECORDS[2]["text"] = RECORDS[0]["text"]
    folder = tmp_path_factory.mktemp("web")
    records = folder / "records.jsonl"
    records.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n", encoding="utf-8")
    path = str(folder / "web.db")
    with open_store(path) as store:
        report = ingest([str(seed_path), str(records)], store)
    assert report.added == 5, report.problems
    return path


@pytest.fixture(scope="module")
def client(store_path: str) -> TestClient:
    with TestClient(create_app(store_path, token=TOKEN, max_upload_bytes=50_000)) as c:
        yield c


@pytest.fixture(scope="module")
def xss_id(client: TestClient) -> str:
    items = client.get("/api/articles", params={"source": "evil"}).json()["items"]
    assert len(items) == 1
    return items[0]["id"]


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- reading ----------------------------------------------------------------------------------------------


def test_articles_list_newest_first_with_paging(client: TestClient) -> None:
    body = client.get("/api/articles", params={"limit": 2}).json()
    assert body["total"] == 5 and body["limit"] == 2 and len(body["items"]) == 2
    assert [a["published"] for a in body["items"]] == ["2022-03-06", "2022-03-05"]
    rest = client.get("/api/articles", params={"limit": 3, "offset": 2}).json()["items"]
    assert {a["id"] for a in rest} & {a["id"] for a in body["items"]} == set()
    assert rest[-1]["id"] == SEED_ID  # undated articles come last


@pytest.mark.parametrize(("params", "expected"), [
    ({"source": "hespress"}, 1),
    ({"since": "2022-03-02"}, 3),
    ({"since": "2022-03", "until": "2022-03-05"}, 3),
    ({"until": "2021"}, 0),
    ({"entity": GANTZ}, 3),
    ({"event_type": "MEET"}, 3),
])
def test_articles_filters(client: TestClient, params: dict[str, str], expected: int) -> None:
    assert client.get("/api/articles", params=params).json()["total"] == expected


def test_article_is_the_stored_analysis(client: TestClient) -> None:
    doc = client.get(f"/api/articles/{SEED_ID}").json()
    assert doc["id"] == SEED_ID and len(doc["paragraphs"]) == 11
    assert {e["canonical"] for e in doc["canonical_entities"] if e["type"] == "PERSON"} >= {GANTZ, "عبد الرحيم بيوض"}
    assert client.get(f"/api/articles/{SEED_ID[:6]}").json()["id"] == SEED_ID  # unique prefix


@pytest.mark.parametrize(("url", "status", "needle"), [
    ("/api/articles/0000000000000000", 404, "no article"),
    ("/api/articles/not-hex!", 422, "doc_id"),
    ("/api/articles?limit=101", 422, "limit"),
    ("/api/articles?limit=0", 422, "limit"),
    ("/api/articles?offset=-1", 422, "offset"),
    ("/api/articles?limit=abc", 422, "limit"),
    ("/api/articles?since=yesterday", 422, "since"),
    ("/api/articles?until=2022-3-1", 422, "until"),
    ("/api/articles?event_type=meet;drop", 422, "event_type"),
    ("/api/articles?entity=لا_أحد", 404, "no entity"),
    ("/api/search", 422, "q"),
    ("/api/search?q=", 422, "q"),
    ("/api/search?q=" + "ب" * 2001, 422, "q"),
    ("/api/search?q=%22unclosed", 400, "bad query"),
    ("/api/search?q=((غانتس", 400, "bad query"),
    ("/api/search?q=NOT", 400, "bad query"),
    ("/api/entities?type=person", 422, "type"),
    ("/api/entities/0123456789abcdef", 404, "no entity"),
    ("/api/events?doc=xyz", 422, "doc"),
    ("/api/events?type=X&limit=500", 422, "limit"),
    ("/api/quotes?entity=nobody", 404, "no entity"),
    ("/api/stories/S1x", 422, "story_id"),
    ("/api/stories/S999999", 404, "no story"),
    ("/api/stories?min_articles=0", 422, "min_articles"),
    ("/api/brief?since=yesterday", 422, "since"),
    ("/api/brief?topic=((", 400, "bad query"),
    ("/api/nothing-here", 404, "Not Found"),
])
def test_bad_parameters_are_4xx_with_a_clear_message(client: TestClient, url: str, status: int, needle: str) -> None:
    r = client.get(url)
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, str) and needle in detail
    assert "Traceback" not in r.text


def test_search_finds_gantz_with_highlighted_snippets(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "غانتس"}).json()
    ids = [h["id"] for h in body["items"]]
    assert SEED_ID in ids and body["total"] == 4
    hit = body["items"][ids.index(SEED_ID)]
    matched = [p["text"] for p in hit["snippet_parts"] if p["match"]]
    assert matched and all("غانتس" in m for m in matched)
    assert hit["highlights"] and hit["title"].startswith("وزير الأمن")


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "غانتس", "source": "hespress"}, 1),
    ({"q": "غانتس", "since": "2022-03-02"}, 2),
    ({"q": "غانتس", "entity": "الرباط"}, 2),
    ({"q": "غانتس", "event_type": "SIGN_AGREEMENT"}, 1),
    ({"q": "وإسبانيا"}, 1),  # clitic-split, normalised: the same term as إسبانيا
    ({"q": "غانتس -واشنطن"}, 2),
])
def test_search_filters(client: TestClient, params: dict[str, str], expected: int) -> None:
    assert client.get("/api/search", params=params).json()["total"] == expected


def test_near_copies_of_an_article(client: TestClient) -> None:
    first = client.get("/api/articles", params={"source": "hespress"}).json()["items"][0]["id"]
    copies = client.get(f"/api/articles/{first}/copies").json()
    assert [c["source"] for c in copies["items"]] == ["repost"] and copies["items"][0]["jaccard"] == 1.0
    assert client.get(f"/api/articles/{SEED_ID}/copies").json()["total"] == 0
    assert "نسخ شبه مطابقة (1)" in client.get(f"/article/{first}").text
    assert client.get("/api/articles/ffffffffffffffff/copies").status_code == 404


def test_entities_listing_and_type_filter(client: TestClient) -> None:
    people = client.get("/api/entities", params={"type": "PERSON", "limit": 100}).json()
    names = {e["canonical"] for e in people["items"]}
    assert {GANTZ, "عبد الرحيم بيوض", "عبد اللطيف لوديي"} <= names
    assert all(e["type"] == "PERSON" for e in people["items"])
    top = people["items"][0]
    assert top["canonical"] == GANTZ and top["articles"] == 3
    places = client.get("/api/entities", params={"type": "PLACE", "q": "الرباط"}).json()["items"]
    assert places and places[0]["canonical"] == "الرباط" and places[0]["latin"] == "Rabat"


def test_entity_detail_by_id_and_by_name(client: TestClient) -> None:
    by_name = client.get(f"/api/entities/{GANTZ}").json()
    by_id = client.get(f"/api/entities/{by_name['id']}").json()
    assert by_name == by_id
    assert by_id["type"] == "PERSON" and by_id["latin"]
    assert "غانتس" in by_id["variants"] and "وزير الأمن الإسرائيلي" in by_id["roles"]
    assert by_id["mentions_per_day"] and all(len(d) == 10 for d in by_id["mentions_per_day"])
    nodes = by_id["cooccurring"]["nodes"]  # the 15 sharing most articles (ties by name)
    assert 0 < len(nodes) <= 15 and [n["articles"] for n in nodes] == sorted((n["articles"] for n in nodes), reverse=True)
    every = client.app.state.web.queries.cooccurring(by_id["id"], limit=100)["nodes"]
    assert any(n["canonical"] == "عبد الرحيم بيوض" for n in every)
    assert any(q["text"].startswith("كان من دواعي سروري") for q in by_id["quotes"])
    assert any(ev["type"] == "MEET" for ev in by_id["events"])


def test_events_json_with_arguments_and_filters(client: TestClient) -> None:
    body = client.get("/api/events", params={"type": "ARMS_TRANSFER", "limit": 100}).json()
    seed = [e for e in body["items"] if e["doc"] == SEED_ID]
    assert seed and {a["role"] for a in seed[0]["arguments"]} >= {"buyer", "item"}
    assert all(e["type"] == "ARMS_TRANSFER" for e in body["items"])
    assert client.get("/api/events", params={"doc": SEED_ID}).json()["total"] >= 5
    gantz = client.get("/api/events", params={"entity": GANTZ}).json()
    assert gantz["total"] >= 3


def test_events_csv_download(client: TestClient) -> None:
    r = client.get("/api/events.csv", params={"type": "MEET"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeffpublished,type,")
    rows = text.strip().splitlines()[1:]
    assert rows and all(",MEET," in row for row in rows)
    assert any("participants=عبد الرحيم بيوض" in row for row in rows)


def test_quotes_by_speaker_entity_and_speakers(client: TestClient) -> None:
    gantz_id = client.get(f"/api/entities/{GANTZ}").json()["id"]
    quotes = client.get("/api/quotes", params={"entity": gantz_id}).json()
    assert quotes["total"] >= 1 and all(q["speaker_entity_id"] == gantz_id for q in quotes["items"])
    speakers = client.get("/api/speakers").json()["items"]
    assert any(s["entity_id"] == gantz_id and s["quotes"] >= 1 for s in speakers)


def test_stories_and_stats(client: TestClient) -> None:
    stories = client.get("/api/stories", params={"min_articles": 1}).json()
    assert stories["total"] >= 1
    first = stories["items"][0]
    story = client.get(f"/api/stories/{first['id']}").json()
    assert story["id"] == first["id"] and story["articles"]
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 5 and "path" not in stats
    assert stats["per_day"] == {"2022-03-01": 1, "2022-03-02": 1, "2022-03-05": 1, "2022-03-06": 1}
    assert stats["per_source"]["hespress"] == 1
    assert any(e["canonical"] == GANTZ for e in stats["top_entities"]["entities"])


def test_briefing_by_entity_and_topic(client: TestClient) -> None:
    b = client.get("/api/brief", params={"entity": GANTZ, "since": "2000-01-01"}).json()
    assert b["articles"] >= 2 and b["query"]["entity"] == GANTZ
    assert any(ev["type"] == "MEET" for ev in b["events"])
    assert all(ev["refs"][0]["article"] for ev in b["events"])
    topic = client.get("/api/brief", params={"topic": "إسبانيا", "since": "2000-01-01"}).json()
    assert topic["articles"] == 1
    story = client.get(f"/api/stories/{client.get('/api/stories', params={'min_articles': 1}).json()['items'][0]['id']}")
    assert all(":" not in k for k in story.json()["key_entities"])


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for p in ("/api/articles", "/api/articles/{doc_id}", "/api/search", "/api/entities", "/api/entities/{ref}",
              "/api/events", "/api/events.csv", "/api/articles/{doc_id}/copies", "/api/quotes", "/api/speakers", "/api/stories",
              "/api/stories/{story_id}", "/api/stats", "/api/ingest", "/api/brief"):
        assert p in paths, p
    assert client.get("/api/docs").status_code == 200


# -- pages and security ----------------------------------------------------------------------------------


PAGES = ["/", "/search", "/search?q=غانتس", "/search?q=غانتس&source=hespress&since=2022-01-01&entity=الرباط",
         f"/article/{SEED_ID}", "/entities", "/entities?type=PERSON&q=غانتس", f"/entity/{GANTZ}", "/events",
         "/events?type=MEET", "/quotes", "/stories?min_articles=1", "/api/docs", "/brief",
         f"/brief?entity={GANTZ}&since=2000-01-01&topic=غانتس"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_rtl_arabic_with_security_headers(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    if url != "/api/docs":
        assert '<html lang="ar" dir="rtl">' in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert " on" + "click=" not in r.text.lower() and "<script>" not in r.text  # no inline handlers or scripts


def test_article_page_marks_entities_events_quotes_and_duplicates(client: TestClient) -> None:
    html = client.get(f"/article/{SEED_ID}").text
    for name in (GANTZ, "عبد الرحيم بيوض", "عبد اللطيف لوديي"):
        assert f'class="ent ent-PERSON" data-type="PERSON" data-canonical="{name}"' in html
    assert 'class="trigger"' in html and 'data-event="MEET"' in html
    assert 'class="quote"' in html and "مكررة من الفقرة 6" in html
    assert "251" in html and "المغرب يستعد لإنشاء وحدتين" in html  # counters and related headline


def test_article_marks_cited_evidence(client: TestClient) -> None:
    html = client.get(f"/article/{SEED_ID}", params={"hl": "341-542"}).text
    assert '<mark class="evidence" id="evidence"><span class="quote"' in html
    assert html.count('class="evidence"') == 1
    spread = client.get(f"/article/{SEED_ID}", params={"hl": "200-400"}).text  # across two paragraphs
    assert spread.count('class="evidence"') == 2 and spread.count('id="evidence"') == 1
    assert client.get(f"/article/{SEED_ID}", params={"hl": "1-x"}).status_code == 422
    gantz = client.get(f"/entity/{GANTZ}").text
    assert f"/article/{SEED_ID}?hl=341-542#evidence" in gantz


def test_xss_in_title_and_body_is_escaped_everywhere(client: TestClient, xss_id: str) -> None:
    for url in (f"/article/{xss_id}", "/search?q=غانتس", "/search?source=evil", "/events", "/"):
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
    html = client.get(f"/article/{xss_id}").text
    assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html  # a javascript: URL is shown as text, never linked
    assert client.get(f"/api/articles/{xss_id}").json()["title"] == XSS_TITLE  # the API returns data as is


@pytest.mark.parametrize(("url", "status"), [
    ("/search?since=not-a-date", 422), ("/article/zzzz", 422), ("/article/ffffffffffffffff", 404),
    ("/entity/nobody-by-that-name", 404), ("/search?q=((", 400), ("/events?page=0", 422), ("/no-such-page", 404),
])
def test_page_errors_are_html_without_traceback(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html") and '<p class="message"' in r.text
    assert "Traceback" not in r.text and "File \"" not in r.text
    assert "content-security-policy" in r.headers


@pytest.mark.parametrize("url", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                                 "/static/css/../../app.py"])
def test_no_path_traversal_through_static(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404 and "create_app" not in r.text


def test_static_assets_are_shipped(client: TestClient) -> None:
    for url in ("/static/css/marsad.css", "/static/fonts/NotoNaskhArabic-Regular.ttf", "/static/js/marsad.js",
                "/static/vendor/chartjs/chart.umd.min.js", "/static/vendor/swagger-ui/swagger-ui-bundle.js"):
        assert client.get(url).status_code == 200, url


def test_unexpected_errors_become_a_generic_500() -> None:
    asyncio.run(_generic_500())


async def _generic_500() -> None:
    async def broken(scope, receive, send):  # a real ASGI app that fails the way a bug would
        raise RuntimeError("secret internals /etc/passwd")

    transport = httpx.ASGITransport(app=SecurityHeaders(broken))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        api = await c.get("/api/x")
        page = await c.get("/x")
    assert api.status_code == 500 and api.json() == {"detail": "internal error"}
    assert page.status_code == 500 and "secret" not in page.text and "RuntimeError" not in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


# -- writing: token and limits -----------------------------------------------------------------------------


def upload(client: TestClient, content: bytes, name: str = "a.jsonl", headers: dict[str, str] | None = None,
           **params: str) -> httpx.Response:
    return client.post("/api/ingest", files={"file": (name, content, "application/octet-stream")},
                       headers=headers or {}, params=params)


NEW = json.dumps({"title": "خبر جديد عن بوريطة", "site": "upload-test", "date": "2022-04-01",
                  "text": "استقبل ناصر بوريطة وزير الخارجية الفرنسي في الرباط."}, ensure_ascii=False).encode()


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401), ({"Authorization": "Bearer wrong"}, 401), ({"Authorization": "Basic " + TOKEN}, 401),
    ({"X-Marsad-Token": TOKEN[:-1]}, 401), ({"Authorization": f"Bearer {TOKEN}x"}, 401),
])
def test_ingest_refuses_without_the_right_token(client: TestClient, headers: dict[str, str], status: int) -> None:
    before = client.get("/api/stats").json()["documents"]
    r = upload(client, NEW, headers=headers)
    assert r.status_code == status and "token" in r.json()["detail"]
    assert client.get("/api/stats").json()["documents"] == before


def test_ingest_disabled_without_a_configured_token(store_path: str) -> None:
    with TestClient(create_app(store_path, token="")) as c:
        r = upload(c, NEW, headers=auth())
    assert r.status_code == 403 and "disabled" in r.json()["detail"]


def test_ingest_with_token_stores_and_is_idempotent(client: TestClient) -> None:
    r = upload(client, NEW, headers=auth())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["added"] == 1 and body["skipped"] == 0 and len(body["ids"]) == 1
    doc = client.get(f"/api/articles/{body['ids'][0]}").json()
    assert doc["sources"][0]["source"] == "upload:a.jsonl"
    again = upload(client, NEW, headers={"X-Marsad-Token": TOKEN}).json()
    assert again["added"] == 0 and again["unchanged"] == 1


@pytest.mark.parametrize(("content", "params", "status", "needle"), [
    (b"x" * 60_000, {}, 413, "too large"),
    (b"   ", {}, 422, "empty"),
    (NEW, {"format": "exe"}, 422, "format"),
])
def test_ingest_limits_and_bad_uploads(client: TestClient, content: bytes, params: dict[str, str], status: int,
                                       needle: str) -> None:
    r = upload(client, content, headers=auth(), **params)
    assert r.status_code == status and needle in r.json()["detail"]


def test_ingest_needs_multipart_with_a_file_field(client: TestClient) -> None:
    r = client.post("/api/ingest", content=NEW, headers={**auth(), "Content-Type": "application/json"})
    assert r.status_code == 415
    r = client.post("/api/ingest", data={"other": "x"}, files={"nofile": ("a", b"b")}, headers=auth())
    assert r.status_code == 422 and "file" in r.json()["detail"]


def test_broken_records_are_reported_not_fatal(client: TestClient) -> None:
    content = NEW.replace("بوريطة".encode(), "لوديي".encode()) + b"\n{not json\n"
    body = upload(client, content, name="mixed.jsonl", headers=auth()).json()
    assert body["added"] == 1 and body["skipped"] == 1 and "mixed.jsonl" in body["problems"][0]


def test_read_endpoints_refuse_writes(client: TestClient) -> None:
    for url in ("/api/articles", "/api/search?q=x", f"/api/articles/{SEED_ID}", "/api/stats"):
        assert client.post(url).status_code == 405
        assert client.delete(url).status_code == 405


HOSTILE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from([
    '"', "((", "NOT", "a OR", "*", "-", "title:x", "'; DROP TABLE documents; --", "\u202eغانتس", "غ\u0651\u0651",
    "<script>alert(1)</script>", "../../etc/passwd", "%00", "\x00", "NEAR(a b)", "^غانتس", "{a b}"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=HOSTILE, source=HOSTILE, entity=HOSTILE)
def test_hostile_parameters_never_cause_a_500(client: TestClient, q: str, source: str, entity: str) -> None:
    for url, params in (("/api/search", {"q": q, "source": source}), ("/search", {"q": q, "entity": entity}),
                        ("/api/articles", {"source": source, "entity": entity}), ("/api/entities", {"q": q}),
                        ("/api/quotes", {"speaker": q})):
        r = client.get(url, params=params)
        assert r.status_code in (200, 400, 404, 422), (url, params, r.status_code, r.text[:300])
        assert "Traceback" not in r.text


def test_archive_caches_build_once_and_warm_up_in_the_background(store_path: str) -> None:
    import threading
    import time as _time

    with TestClient(create_app(store_path, warm_caches=True)) as c:
        state = c.app.state.web
        for _ in range(300):
            if {"stories", "near_copies"} <= set(state.cache):
                break
            _time.sleep(0.05)
        assert {"stories", "near_copies"} <= set(state.cache)
        calls = []

        def build() -> int:
            calls.append(1)
            _time.sleep(0.2)
            return 42

        results: list[int] = []
        threads = [threading.Thread(target=lambda: results.append(state.cached("k", build))) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [42] * 6 and len(calls) == 1


# -- highlighting (pure) ------------------------------------------------------------------------------------


def test_spans_nest_crossing_ones_are_dropped_and_everything_is_escaped() -> None:
    from marsad.web.highlight import Span, render_range

    text = 'قال "غانتس" <b>x</b> اليوم'
    quote = Span(4, 19, "quote", "span", {"class": "quote"})
    mention = Span(5, 10, "mention", "a", {"href": "/entity/x", "title": 'a"b<c>'})
    crossing = Span(15, 24, "trigger", "mark", {"class": "trigger"})
    html = str(render_range(text, 0, len(text), [crossing, mention, quote]))
    assert html.startswith('قال <span class="quote">&#34;<a href="/entity/x" title="a&#34;b&lt;c&gt;">غانتس</a>')
    assert "&lt;b&gt;x&lt;/b" in html and "<b>" not in html
    assert "<mark" not in html  # crossed the quote's end: left unmarked rather than mis-nested
    assert html.count("<span") == html.count("</span>") == 1


def test_render_paragraphs_marks_by_paragraph_offsets() -> None:
    from marsad.web.highlight import render_paragraphs

    doc = {"paragraphs": [{"index": 1, "start": 0, "end": 9, "text": "زار غانتس"},
                          {"index": 2, "start": 10, "end": 20, "text": "وقال بيوض.", "duplicate_of": 1}],
           "entities": [{"type": "PERSON", "start": 4, "end": 9, "text": "غانتس", "canonical": "بيني غانتس",
                         "entity_id": "a726e4f8c0648056", "confidence": 0.8},
                        {"type": "PERSON", "start": 15, "end": 19, "text": "بيوض", "confidence": 0.9}],
           "canonical_entities": [], "events": [], "quotes": []}
    paras = render_paragraphs(doc)
    assert [p["index"] for p in paras] == [1, 2] and paras[1]["duplicate_of"] == 1
    assert 'href="/entity/a726e4f8c0648056"' in paras[0]["html"] and ">غانتس</a>" in paras[0]["html"]
    assert '<span class="ent ent-PERSON"' in paras[1]["html"] and ">بيوض</span>." in paras[1]["html"]


@pytest.mark.parametrize("q", ["إسبانيا", "اسبانيا", "أسبانيا", "Spain"])
def test_entity_name_filter_ignores_hamza_forms(client: TestClient, q: str) -> None:
    items = client.get("/api/entities", params={"q": q}).json()["items"]
    assert [e["canonical"] for e in items] == ["إسبانيا"]


def test_archive_views_refuse_a_too_large_archive_but_windowed_briefs_work(client: TestClient,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from marsad.web import archive

    monkeypatch.setattr(archive, "ARCHIVE_CAP", 2)
    from fastapi import HTTPException

    with pytest.raises(HTTPException, match="whole archive"):  # a briefing without a window reads every article
        archive.records(client.app.state.web)
    assert client.get("/api/stories").status_code == 200  # read from the store's story tables, not replayed
    b = client.get("/api/brief", params={"since": "2022-03-02"}).json()
    assert b["articles"] >= 3  # read through the date window, not the whole archive
    assert client.get("/api/brief", params={"since": "2d"}).json()["articles"] >= 1  # relative to the newest day
