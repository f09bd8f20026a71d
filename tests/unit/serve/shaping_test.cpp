// Feed variants asked for by query parameters: when the Site's Shaping is asked, how variants
// are cached, validated and dropped.
#include "serve/shaping.hpp"

#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <cctype>
#include <deque>
#include <string>

#include "serve/http_rules.hpp"
#include "serve/prepare.hpp"
#include "serve/shaped_cache.hpp"

namespace fg::serve {
namespace {

// Knows one parameter, "upper=1" (the body upper-cased), and refuses "upper=" anything else.
class FakeShaping : public Shaping {
 public:
  ShapeQuery read(std::string_view path, std::string_view query) const override {
    ++reads;
    if (path != "/feeds/a.atom" || !query.starts_with("upper=")) return {};
    if (query != "upper=1") return {ShapeQuery::Verdict::refused, "", "upper: expected 1"};
    return {ShapeQuery::Verdict::variant, "upper=1", ""};
  }
  ShapedVariant prepare(std::string_view, const std::string& key,
                        const Resource& plain) const override {
    ++prepares;
    if (refuse_when_prepared) return {nullptr, std::nullopt, "upper: the engine says no"};
    std::string body = plain.body;
    for (char& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return {make_variant(plain, key, body), expires, ""};
  }
  mutable std::atomic<int> reads{0}, prepares{0};
  std::optional<Timestamp> expires;
  bool refuse_when_prepared = false;
};

struct Fixture {
  std::shared_ptr<FakeShaping> shaping = std::make_shared<FakeShaping>();
  Site site;
  ShapedCache cache{1 << 20};
  Fixture(std::string body = std::string(300, 'a')) {
    site.resources["/feeds/a.atom"] =
        make_resource("application/atom+xml; charset=utf-8", std::move(body), Timestamp{}, 60);
    site.shaping = shaping;
  }
  Reply get(std::string target, std::optional<std::string_view> inm = std::nullopt,
            std::string_view method = "GET",
            std::optional<std::string_view> accept = std::nullopt) {
    targets.push_back(std::move(target));
    return plan_reply({.method = method,
                       .target = targets.back(),
                       .accept_encoding = accept,
                       .if_none_match = inm},
                      site, &cache);
  }
  std::string etag(const Reply& r) {
    const auto at = r.head.find("ETag: ");
    return std::string(r.head.substr(at + 6, r.head.find('\r', at) - at - 6));
  }
  std::deque<std::string> targets;
};

TEST(Shaping, AskedOnlyWhenTheQueryHoldsMoreThanLimit) {
  EXPECT_FALSE(asks_for_shaping("/feeds/a.atom"));
  EXPECT_FALSE(asks_for_shaping("/feeds/a.atom?"));
  EXPECT_FALSE(asks_for_shaping("/feeds/a.atom?limit=3"));
  EXPECT_FALSE(asks_for_shaping("/feeds/a.atom?limit=3&&limit=4#x=1"));
  EXPECT_TRUE(asks_for_shaping("/feeds/a.atom?limit=3&opencc=s2t"));
  EXPECT_TRUE(asks_for_shaping("/feeds/a.atom?utm_source=x"));
  Fixture f;
  EXPECT_EQ(f.get("/feeds/a.atom").status, 200);
  EXPECT_EQ(f.get("/feeds/a.atom?limit=1").status, 200);
  EXPECT_EQ(f.shaping->reads, 0);
  EXPECT_EQ(f.get("/feeds/a.atom?utm_source=x").body, std::string(300, 'a'));
  EXPECT_EQ(f.shaping->reads, 1);
  EXPECT_EQ(f.shaping->prepares, 0);
}

TEST(Shaping, VariantIsPreparedOnceAndServedLikeAnyResource) {
  Fixture f;
  const Reply first = f.get("/feeds/a.atom?upper=1");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, std::string(300, 'A'));
  const Reply again = f.get("/feeds/a.atom?upper=1");
  EXPECT_EQ(again.body, std::string(300, 'A'));
  EXPECT_EQ(f.shaping->prepares, 1);
  EXPECT_EQ(f.cache.size(), 1u);
  const Reply head = f.get("/feeds/a.atom?upper=1", std::nullopt, "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body_bytes(), 0u);
}

TEST(Shaping, EachVariantHasItsOwnStrongEtag) {
  Fixture f;
  const std::string plain = f.site.resources["/feeds/a.atom"]->etag;
  const std::string variant = f.etag(f.get("/feeds/a.atom?upper=1"));
  EXPECT_NE(variant, plain);
  EXPECT_EQ(variant.rfind(plain.substr(0, plain.size() - 1) + "-", 0), 0u) << variant;
  EXPECT_EQ(f.get("/feeds/a.atom?upper=1", variant).status, 304);
  EXPECT_EQ(f.get("/feeds/a.atom?upper=1", plain).status, 200);
  EXPECT_EQ(f.get("/feeds/a.atom", variant).status, 200);
}

TEST(Shaping, RefusedQueryIs400WithTheMessage) {
  Fixture f;
  const Reply r = f.get("/feeds/a.atom?upper=2");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "upper: expected 1\n");
  EXPECT_FALSE(r.close);  // a well-formed request: the connection stays
}

TEST(Shaping, RefusedWhenPreparedIs400AndNotCached) {
  Fixture f;
  f.shaping->refuse_when_prepared = true;
  EXPECT_EQ(f.get("/feeds/a.atom?upper=1").body, "upper: the engine says no\n");
  EXPECT_EQ(f.get("/feeds/a.atom?upper=1").status, 400);
  EXPECT_EQ(f.shaping->prepares, 2);
  EXPECT_EQ(f.cache.size(), 0u);
}

TEST(Shaping, ExpiredVariantIsPreparedAnew) {
  Fixture f;
  f.shaping->expires = Timestamp{std::chrono::seconds{1}};  // long past
  f.get("/feeds/a.atom?upper=1");
  f.get("/feeds/a.atom?upper=1");
  EXPECT_EQ(f.shaping->prepares, 2);
}

TEST(Shaping, VariantsOfAChangedFeedAreDroppedAtPublish) {
  Fixture f;
  f.get("/feeds/a.atom?upper=1");
  f.cache.drop_stale(f.site);
  EXPECT_EQ(f.cache.size(), 1u);
  f.site.resources["/feeds/a.atom"] = make_resource("text/plain", "b", Timestamp{}, 60);
  f.cache.drop_stale(f.site);
  EXPECT_EQ(f.cache.size(), 0u);
  EXPECT_EQ(f.cache.bytes(), 0u);
}

TEST(Shaping, CacheIsBoundedInBytesLeastRecentlyUsedFirst) {
  auto plain = make_resource("text/plain", std::string(100, 'x'), Timestamp{}, 60, false);
  const auto variant = [&](char c) {
    return ShapedVariant{make_variant(*plain, std::string(1, c), std::string(1000, c)), {}, ""};
  };
  ShapedCache probe(1 << 20);
  probe.put("/p", *plain, "a", variant('a'));
  const std::size_t one = probe.bytes();  // the body, its codings, heads and bookkeeping
  EXPECT_GT(one, 1000u);
  ShapedCache cache(one * 5 / 2);  // room for two variants, not three
  cache.put("/p", *plain, "a", variant('a'));
  cache.put("/p", *plain, "b", variant('b'));
  ASSERT_TRUE(cache.find("/p", *plain, "a", Timestamp{}));  // "b" is now the least recent
  cache.put("/p", *plain, "c", variant('c'));
  EXPECT_TRUE(cache.find("/p", *plain, "a", Timestamp{}));
  EXPECT_FALSE(cache.find("/p", *plain, "b", Timestamp{}));
  EXPECT_TRUE(cache.find("/p", *plain, "c", Timestamp{}));
  EXPECT_LE(cache.bytes(), one * 5 / 2);
  ShapedCache none(0);
  none.put("/p", *plain, "a", variant('a'));
  EXPECT_EQ(none.size(), 0u);
}

// What compressing every coding in advance gave (gzip level 1, brotli quality 2).
std::string eager_gzip(const std::string& body) {
  z_stream zs{};
  deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, body.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  zs.avail_in = static_cast<uInt>(body.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}
std::string eager_brotli(const std::string& body) {
  std::size_t size = BrotliEncoderMaxCompressedSize(body.size());
  std::string out(size, '\0');
  BrotliEncoderCompress(2, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, body.size(),
                        reinterpret_cast<const std::uint8_t*>(body.data()), &size,
                        reinterpret_cast<std::uint8_t*>(out.data()));
  out.resize(size);
  return out;
}

std::string compressible(int lines) {
  std::string body;
  for (int i = 0; i < lines; ++i) body += "<entry><title>item " + std::to_string(i) + "</title>";
  return body;
}

TEST(Shaping, LazyCodingsAreTheBytesAndEtagsOfEagerOnesInAnyOrder) {
  const std::string body = compressible(100);
  auto plain = make_resource("application/atom+xml", body, Timestamp{}, 60);
  const auto variant = make_variant(*plain, "k", body);
  EXPECT_TRUE(variant->body_gzip.empty() && variant->body_br.empty());
  EXPECT_EQ(variant->pending, (1 << 1) | (1 << 2));
  const auto a = with_coding(*with_coding(*variant, Coding::gzip), Coding::br);
  const auto b = with_coding(*with_coding(*variant, Coding::br), Coding::gzip);
  const std::string tag = variant->etag.substr(0, variant->etag.size() - 1);
  for (const auto& r : {a, b}) {
    EXPECT_EQ(r->pending, 0);
    EXPECT_EQ(r->body, body);
    EXPECT_EQ(r->body_gzip, eager_gzip(body));
    EXPECT_EQ(r->body_br, eager_brotli(body));
    EXPECT_EQ(r->etag, variant->etag);
    EXPECT_EQ(r->etag_gzip, tag + "-gz\"");
    EXPECT_EQ(r->etag_br, tag + "-br\"");
  }
  for (int i = 0; i < kCodings; ++i) EXPECT_EQ(a->head_200[i], b->head_200[i]);
  // Too small to compress: nothing pending, identity only.
  EXPECT_EQ(make_variant(*plain, "k", "tiny")->pending, 0);
}

TEST(Shaping, FirstRequestCompressesOnlyTheCodingItIsSent) {
  Fixture f(compressible(100));
  const Reply gz = f.get("/feeds/a.atom?upper=1", std::nullopt, "GET", "gzip");
  EXPECT_NE(gz.head.find("Content-Encoding: gzip"), std::string_view::npos);
  const std::string gz_etag = f.etag(gz);
  const auto cached = [&] {
    return f.cache.find("/feeds/a.atom", *f.site.resources["/feeds/a.atom"], "upper=1",
                        Timestamp{});
  };
  ASSERT_TRUE(cached());
  EXPECT_FALSE(cached()->body_gzip.empty());
  EXPECT_TRUE(cached()->body_br.empty());  // no reader asked for brotli yet
  EXPECT_EQ(f.get("/feeds/a.atom?upper=1", gz_etag, "GET", "gzip").status, 304);
  const Reply br = f.get("/feeds/a.atom?upper=1", std::nullopt, "GET", "gzip, br");
  EXPECT_NE(br.head.find("Content-Encoding: br"), std::string_view::npos);
  EXPECT_EQ(cached()->pending, 0);
  const Resource* settled = cached().get();
  f.get("/feeds/a.atom?upper=1", std::nullopt, "GET", "br");
  f.get("/feeds/a.atom?upper=1", std::nullopt, "GET", "gzip");
  EXPECT_EQ(cached().get(), settled);  // nothing compressed twice
  EXPECT_EQ(f.shaping->prepares, 1);
  // Identity costs no compression at all.
  Fixture plain_reader(compressible(100));
  EXPECT_EQ(plain_reader.get("/feeds/a.atom?upper=1").status, 200);
  EXPECT_EQ(plain_reader.cache
                .find("/feeds/a.atom", *plain_reader.site.resources["/feeds/a.atom"], "upper=1",
                      Timestamp{})
                ->pending,
            (1 << 1) | (1 << 2));
}

}  // namespace
}  // namespace fg::serve
