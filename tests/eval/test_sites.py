"""Tests of the site grouping behind eval.py --folds and --rules."""

import pathlib
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import sites  # noqa: E402


class RegistrableTest(unittest.TestCase):
    def test_two_labels_and_country_second_level(self):
        self.assertEqual(sites.registrable("news.sina.com.cn"), "sina.com.cn")
        self.assertEqual(sites.registrable("www.bbc.co.uk"), "bbc.co.uk")
        self.assertEqual(sites.registrable("worldnews.nbcnews.com"), "nbcnews.com")


class SiteOfPageTest(unittest.TestCase):
    def page(self, html):
        folder = tempfile.mkdtemp()
        path = pathlib.Path(folder) / "page.html"
        path.write_bytes(html)
        return path

    def test_url_first_then_canonical_then_most_linked_host(self):
        page = self.page(b'<a href="http://a.example.org/x">x</a>')
        self.assertEqual(sites.site_of_page("c", page, {"url": "https://www.x.com/1"}), "x.com")
        page = self.page(b'<link rel="canonical" href="http://www.y.com/p">'
                         b'<a href="http://z.net/">z</a>')
        self.assertEqual(sites.site_of_page("c", page, {"url": None}), "y.com")
        page = self.page(b'<a href="http://z.net/1">1</a><a href="http://www.q.org/">q</a>'
                         b'<a href="https://blog.z.net/2">2</a>')
        self.assertEqual(sites.site_of_page("c", page, {}), "z.net")
        self.assertEqual(sites.site_of_page("c", self.page(b"<p>no links</p>"), {}), "c")


class FoldsTest(unittest.TestCase):
    def test_a_site_stays_in_one_fold_and_folds_are_balanced(self):
        site_of = {f"a{i}": "a.com" for i in range(4)}
        site_of.update({f"b{i}": "b.com" for i in range(2)})
        site_of.update({f"c{i}": "c.com" for i in range(2)})
        folds = sites.assign_folds(site_of, 2)
        self.assertEqual(len({folds[f"a{i}"] for i in range(4)}), 1)
        self.assertEqual(sorted(list(folds.values()).count(f) for f in (0, 1)), [4, 4])


if __name__ == "__main__":
    unittest.main()
