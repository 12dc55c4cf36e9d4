"""Incremental story clustering: same happening -> same story, within a time window."""

from __future__ import annotations

import pytest

from marsad.stories import ArticleFeatures, StoryClusterer, cluster, summarize_story
from marsad.text import search_terms

QUAKE_1 = ("زلزال بقوة 6 درجات يضرب جزيرة كريت اليونانية", ("ضرب زلزال بقوة ست درجات على مقياس ريختر جزيرة كريت "
           "اليونانية صباح اليوم وأعلنت السلطات اليونانية عن أضرار مادية في المباني دون تسجيل ضحايا."))
QUAKE_2 = ("اليونان: لا ضحايا في زلزال كريت", ("قالت السلطات اليونانية إن الزلزال الذي ضرب جزيرة كريت بقوة ست "
           "درجات لم يخلف ضحايا وإن فرق الحماية المدنية تتفقد المباني المتضررة في الجزيرة."))
MATCH = ("الترجي يفوز على النجم في الكلاسيكو", ("فاز الترجي الرياضي على النجم الساحلي بهدفين دون رد في مقابلة "
         "الكلاسيكو التي دارت بملعب رادس لحساب الجولة العاشرة من البطولة الوطنية لكرة القدم."))
BUDGET = ("البرلمان يصادق على قانون المالية", ("صادق مجلس نواب الشعب على مشروع قانون المالية لسنة 2017 بأغلبية "
          "الأصوات بعد نقاش طويل حول الضرائب الجديدة والزيادة في الأجور."))


def feat(doc_id: str, item: tuple[str, str], when: str | None = "2017-01-10", ents: list[str] | None = None,
         source: str = "a") -> ArticleFeatures:
    title, body = item
    return ArticleFeatures(doc_id, search_terms(title + "\n" + body), title, when, source, ents or [])


@pytest.fixture()
def background() -> StoryClusterer:
    c = StoryClusterer()
    c.add(feat("m", MATCH))
    c.add(feat("b", BUDGET))
    return c


def test_same_happening_joins_one_story(background: StoryClusterer) -> None:
    s1 = background.add(feat("q1", QUAKE_1))
    s2 = background.add(feat("q2", QUAKE_2, "2017-01-11", source="b"))
    assert s1 == s2
    story = background.stories[s1]
    assert story.articles == ["q1", "q2"]
    assert story.first == "2017-01-10" and story.last == "2017-01-11"
    assert set(story.sources) == {"a", "b"}
    assert story.title == QUAKE_1[0]


def test_different_happenings_stay_apart(background: StoryClusterer) -> None:
    ids = {background.story_of["m"], background.story_of["b"], background.add(feat("q1", QUAKE_1))}
    assert len(ids) == 3


def test_outside_the_time_window_starts_a_new_story(background: StoryClusterer) -> None:
    s1 = background.add(feat("q1", QUAKE_1, "2017-01-10"))
    s2 = background.add(feat("q2", QUAKE_2, "2017-03-01"))
    assert s1 != s2


def test_shared_entities_pull_a_weakly_worded_article_in() -> None:
    ents = ["GPE:اليونان", "LOC:كريت"]
    short = ("كريت", "الحماية المدنية تواصل عملها في الجزيرة منذ الصباح.")
    without, with_ents = StoryClusterer(), StoryClusterer()
    for c, e in ((without, []), (with_ents, ents)):
        c.add(feat("q1", QUAKE_1, ents=e))
    assert without.add(feat("x", short)) != without.story_of["q1"]
    assert with_ents.add(feat("x", short, ents=ents)) == with_ents.story_of["q1"]
    assert with_ents.stories[with_ents.story_of["q1"]].key_entities()[0][1] == 2


def test_re_adding_an_article_returns_its_story(background: StoryClusterer) -> None:
    sid = background.story_of["m"]
    assert background.add(feat("m", MATCH)) == sid
    assert background.stories[sid].articles == ["m"]


def test_cluster_orders_by_date_and_summarize_story_skips_repeats() -> None:
    c = cluster([feat("q2", QUAKE_2, "2017-01-11"), feat("q1", QUAKE_1, "2017-01-10"), feat("m", MATCH)])
    story = c.stories[c.story_of["q1"]]
    assert story.articles == ["q1", "q2"]
    sentences = [QUAKE_1[1], QUAKE_1[1] + " ", QUAKE_2[1]]
    assert summarize_story(sentences, 2) == [0, 2]


def test_quiet_stories_leave_the_candidate_index_but_stay_listed() -> None:
    c = StoryClusterer(window_days=1)
    c.sweep_every = 2
    old = c.add(feat("q1", QUAKE_1, "2017-01-10"))
    c.add(feat("m", MATCH, "2017-02-10"))
    c.add(feat("b", BUDGET, "2017-02-11"))
    assert old in c.stories
    assert all(old not in ids for ids in c._index.values())
    assert c.add(feat("q2", QUAKE_2, "2017-01-10")) != old  # an article that late is not merged back


def test_ingest_tracker_links_copies_to_the_original_and_files_stories() -> None:
    from marsad.model import Document, Provenance
    from marsad.pipeline import Pipeline
    from marsad.stories import IngestTracker

    pipe = Pipeline(["layout", "sentences", "paragraph_dedup"])

    def analysed(item: tuple[str, str], when: str, site: str, extra: str = ""):  # type: ignore[no-untyped-def]
        return pipe(Document(text=item[1] + extra, provenance=Provenance(source=site, format="jsonl"),
                             title=item[0], published=when, site=site))

    t = IngestTracker()
    first = t.observe("q1", analysed(QUAKE_1, "2017-01-10", "a"))
    copy = t.observe("q1b", analysed(QUAKE_1, "2017-01-10", "b", " وتابعونا على صفحتنا في فيسبوك."))
    copy2 = t.observe("q1c", analysed(QUAKE_1, "2017-01-11", "c", " وتابعونا على صفحتنا في فيسبوك."))
    other = t.observe("m", analysed(MATCH, "2017-01-11", "a"))
    assert first.canonical is None and first.matches == []
    assert copy.canonical == "q1" and copy2.canonical == "q1"  # a copy of a copy points to the original
    assert copy.story == first.story != other.story
    assert t.observe("q2", analysed(QUAKE_2, "2017-01-11", "d")).story == first.story


def test_key_entities_ties_come_out_in_one_order_whatever_the_hash_seed() -> None:
    import subprocess
    import sys

    code = ("from marsad.stories import ArticleFeatures, cluster\n"
            "ents = sorted(f'GPE:مدينة{i}' for i in range(12))\n"
            "fs = [ArticleFeatures(f'd{k}', ['قمة', 'اتفاق', 'وزير'], 'قمة', '2021-01-0' + str(k + 1), f's{k}', ents, [])"
            " for k in range(3)]\n"
            "print([s.key_entities(5) for s in cluster(fs).stories.values()])")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"}).stdout for seed in (1, 2, 3)}
    assert len(outs) == 1 and "مدينة0" in outs.pop()


def test_a_stored_article_counts_under_the_source_it_was_first_stored_from() -> None:
    """Copies stored in the same second come back in name order; the kept provenance says which was first."""
    from marsad.stories import record_source

    same_second = "2017-01-02T10:00:00+00:00"
    d = {"source": {"source": "copy4.txt", "ingested_at": same_second},
         "sources": [{"source": "copy19.txt", "ingested_at": same_second},
                     {"source": "copy4.txt", "ingested_at": same_second}]}
    assert record_source(d) == "copy4.txt"
    assert record_source({**d, "site": "goud.ma"}) == "goud.ma"
    assert record_source({"sources": d["sources"]}) == "copy19.txt"  # an old record without its provenance
