"""Unit tests of the corpus scorer; expected values worked out by hand in the comments.

Run: /usr/bin/python3 -m unittest discover -s tests/eval -p 'test_*.py'
"""

import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import scoring  # noqa: E402


class BodyF1Test(unittest.TestCase):
    def test_cjk_bigrams_ignore_whitespace_and_punctuation(self):
        # expected 我爱北京 → {我爱, 爱北, 北京}; predicted 我爱北京天安门 → 6 bigrams, 3 shared.
        # P = 3/6, R = 3/3, F1 = 2·0.5·1 / 1.5 = 2/3.
        self.assertAlmostEqual(scoring.body_f1("我爱 北京\n天安门", "我爱北京。"), 2 / 3)

    def test_cjk_bigrams_are_a_bag(self):
        # 哈哈哈 → 哈哈 twice; 哈哈 → once. overlap 1, P = 1, R = 1/2, F1 = 2/3.
        self.assertAlmostEqual(scoring.body_f1("哈哈", "哈哈哈"), 2 / 3)

    def test_bigrams_span_removed_characters(self):
        # 「北京」，★上海 → 北京上海 → {北京, 京上, 上海}: the same bigrams as 北京上海
        # (「」， are punctuation, ★ a symbol).
        self.assertEqual(scoring.body_f1("北京上海", "「北京」，★上海"), 1.0)

    def test_fullwidth_forms_fold_under_nfkc(self):
        # ＡＢ１２ and ab12 are the same after NFKC + lower-case; 中文中文 makes it CJK.
        self.assertEqual(scoring.body_f1("ab12中文中文", "ＡＢ１２中文中文"), 1.0)

    def test_words_when_text_is_not_cjk(self):
        # expected {the, cat, sat}; predicted {the×2, cat, dog}; overlap 2.
        # P = 2/4, R = 2/3, F1 = 2·(1/2)(2/3) / (7/6) = 4/7.
        self.assertAlmostEqual(scoring.body_f1("the cat, the dog", "The cat sat."), 4 / 7)

    def test_thirty_percent_cjk_switches_to_bigrams(self):
        self.assertTrue(scoring.uses_bigrams("abcdefg中文字"))  # 3 of 10 non-space chars
        self.assertFalse(scoring.uses_bigrams("abc def 中文"))  # 2 of 8
        self.assertTrue(scoring.uses_bigrams("ひらがなとカタカナ abc"))  # kana count as CJK

    def test_tokenisation_follows_the_expected_text(self):
        # Expected is English, so words: the prediction's Chinese adds no matching token.
        # expected {hello, world}; predicted {hello, 你好世界}; P = 1/2, R = 1/2, F1 = 1/2.
        self.assertAlmostEqual(scoring.body_f1("hello 你好世界", "hello world"), 0.5)

    def test_empty_prediction_scores_zero_and_unlabelled_is_skipped(self):
        self.assertEqual(scoring.body_f1("", "正文内容"), 0.0)
        self.assertEqual(scoring.body_f1("完全不同", "正文内容"), 0.0)
        self.assertIsNone(scoring.body_f1("正文内容", None))


class TitleTest(unittest.TestCase):
    def test_whitespace_collapses_and_nfkc_applies(self):
        self.assertTrue(scoring.title_ok(" 标题\u3000 一\n", "标题 一"))
        self.assertTrue(scoring.title_ok("ＡＢＣ新闻", "ABC新闻"))

    def test_case_and_wording_must_match(self):
        self.assertFalse(scoring.title_ok("title", "Title"))
        self.assertFalse(scoring.title_ok("标题 - 新华网", "标题"))
        self.assertFalse(scoring.title_ok("", "标题"))
        self.assertIsNone(scoring.title_ok("标题", None))


class PublishedTest(unittest.TestCase):
    def test_offset_is_converted_to_the_assumed_zone(self):
        # 05:43Z is 13:43 at +08:00.
        self.assertEqual(scoring.published_ok("2019-09-07T05:43:00Z", "2019-09-07T13:43:45"),
                         (True, True))

    def test_conversion_can_change_the_day(self):
        # 23:30 at -02:00 is 01:30Z on the 8th, 09:30 on the 8th at +08:00.
        self.assertEqual(scoring.published_ok("2019-09-07T23:30:00-02:00", "2019-09-08T09:30"),
                         (True, True))
        # 16:10Z is 00:10 on the 8th at +08:00: both the day and the minute are wrong.
        self.assertEqual(scoring.published_ok("2019-09-07T16:10:00Z", "2019-09-07T23:50"),
                         (False, False))

    def test_prediction_without_offset_is_local_time(self):
        self.assertEqual(scoring.published_ok("2019-09-07 13:43", "2019-09-07T13:43:45"),
                         (True, True))
        self.assertEqual(scoring.published_ok("2019-09-07T13:44:00+08:00", "2019-09-07T13:43:45"),
                         (True, False))

    def test_expected_with_offset_is_converted_too(self):
        # 05:36+01:00 is 04:36 at the assumed +00:00.
        self.assertEqual(scoring.published_ok("2015-07-24T04:36:09Z", "2015-07-24T05:36:09+01:00",
                                              "+00:00"), (True, True))

    def test_minute_is_not_scored_below_minute_precision(self):
        self.assertEqual(scoring.published_ok("2022-02-13T23:37:00+08:00", "2022-02-13"),
                         (True, None))
        # Month precision: the "day" check compares year and month only.
        self.assertEqual(scoring.published_ok("1998-03-20T00:00:00+08:00", "1998-03"), (True, None))
        self.assertEqual(scoring.published_ok("1998-04-01T00:00:00+08:00", "1998-03"),
                         (False, None))
        # A declared precision lowers what the string shows.
        self.assertEqual(scoring.published_ok("2005-05-07T10:00", "2005-05-07T21:23", "+08:00",
                                              "day"), (True, None))

    def test_missing_or_unparseable_prediction_fails(self):
        self.assertEqual(scoring.published_ok(None, "2019-09-07T13:43"), (False, False))
        self.assertEqual(scoring.published_ok("昨天", "2019-09-07T13:43"), (False, False))
        self.assertEqual(scoring.published_ok(None, "2019-09-07"), (False, None))
        # A date-only prediction can get the day but never the minute.
        self.assertEqual(scoring.published_ok("2019-09-07", "2019-09-07T13:43"), (True, False))

    def test_rfc2822_prediction(self):
        self.assertEqual(scoring.published_ok("Sat, 07 Sep 2019 05:43:45 +0000",
                                              "2019-09-07T13:43:45"), (True, True))

    def test_unlabelled_is_skipped(self):
        self.assertEqual(scoring.published_ok("2019-09-07", None), (None, None))


class NameTest(unittest.TestCase):
    def test_equal_or_contained_either_way(self):
        self.assertTrue(scoring.name_ok("记者 张三", "张三"))
        self.assertTrue(scoring.name_ok("新华", "新华社"))
        self.assertTrue(scoring.name_ok("By JOHN  SMITH", "John Smith"))
        self.assertTrue(scoring.name_ok("ＣＣＴＶ", "cctv"))

    def test_different_or_empty_fails(self):
        self.assertFalse(scoring.name_ok("李四", "张三"))
        self.assertFalse(scoring.name_ok("", "张三"))
        self.assertFalse(scoring.name_ok(None, "张三"))
        self.assertIsNone(scoring.name_ok("张三", None))


class ScorePageTest(unittest.TestCase):
    def test_failed_extraction_scores_zero_on_labelled_metrics(self):
        truth = {"text": "正文内容", "title": "标题", "published": "2019-09-07",
                 "author": None, "published_tz_assumed": "+08:00"}
        got = scoring.score_page({"error": "boom", "text": "正文内容"}, truth)
        self.assertEqual(got, {"body_f1": 0.0, "title": False, "day": False, "minute": None,
                               "author": None, "source": None})

    def test_fields_come_from_the_prediction(self):
        truth = {"text": "正文内容", "title": "标题", "published": "2019-09-07T13:43",
                 "author": "张三", "source": "新华社"}
        predicted = {"text": "正文内容", "title": "标题", "published": "2019-09-07T13:43:00+08:00",
                     "author": "记者 张三", "source": ""}
        self.assertEqual(scoring.score_page(predicted, truth),
                         {"body_f1": 1.0, "title": True, "day": True, "minute": True,
                          "author": True, "source": False})


if __name__ == "__main__":
    unittest.main()
