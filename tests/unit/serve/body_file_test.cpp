// Bodies kept in files: the folder, the files, make_resource's use of them and the replies
// planned from them.

#include "serve/body_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "serve/http_rules.hpp"
#include "serve/prepare.hpp"
#include "serve/server.hpp"
#include "support/temp_dir.hpp"

namespace fg::serve {
namespace {

namespace fs = std::filesystem;
using fg::test::TempDir;

std::string read_at(int fd, std::uint64_t offset, std::size_t length) {
  std::string out(length, '\0');
  const auto n = ::pread(fd, out.data(), length, static_cast<off_t>(offset));
  out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return out;
}

TEST(BodyDir, CreatesTheFolderAndRemovesOnlyStaleBodyFiles) {
  TempDir scratch;
  const std::string dir = scratch.path().string() + "/var/bodies";
  fs::create_directories(dir);
  std::ofstream(dir + "/body-Ab12Cd") << "left by a killed run";
  std::ofstream(dir + "/notes.txt") << "not ours";
  auto opened = BodyDir::open(dir);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  EXPECT_FALSE(fs::exists(dir + "/body-Ab12Cd"));
  EXPECT_TRUE(fs::exists(dir + "/notes.txt"));
  EXPECT_EQ((*opened)->path(), dir);
}

TEST(BodyDir, AFolderThatCannotExistIsAnIoError) {
  TempDir scratch;
  std::ofstream(scratch.path().string() + "/a-file") << "x";
  auto opened = BodyDir::open(scratch.path().string() + "/a-file/bodies");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, Errc::io);
  EXPECT_NE(opened.error().message.find("a-file/bodies"), std::string::npos);
}

TEST(BodyDir, WriteJoinsThePartsInAFileWithNoName) {
  TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  ASSERT_TRUE(dir.ok());
  auto file = (*dir)->write({"杭州", "", "news"});
  ASSERT_TRUE(file.ok()) << file.error().describe();
  EXPECT_EQ(read_at((*file)->fd(), (*file)->offset(), 10), "杭州news");
  EXPECT_TRUE(fs::is_empty(scratch.path()));  // nothing to clean up after a crash
}

int open_descriptors() {
  return static_cast<int>(std::distance(fs::directory_iterator("/proc/self/fd"), {}));
}

TEST(BodyDir, ManyBodiesShareOneDescriptor) {
  TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  ASSERT_TRUE(dir.ok());
  const int before = open_descriptors();
  std::vector<std::shared_ptr<const BodyFile>> files;
  for (int i = 0; i < 500; ++i) {
    auto file = (*dir)->write({"feed ", std::to_string(i)});
    ASSERT_TRUE(file.ok()) << file.error().describe();
    files.push_back(*file);
  }
  EXPECT_EQ(open_descriptors(), before);  // was one descriptor per body
  for (int i = 0; i < 500; ++i) {
    const std::string want = "feed " + std::to_string(i);
    EXPECT_EQ(read_at(files[i]->fd(), files[i]->offset(), want.size()), want);
    EXPECT_EQ(files[i]->fd(), files[0]->fd());
  }
  EXPECT_EQ((*dir)->bytes_held(), 500u * 4096);  // a page each
}

TEST(BodyDir, AFreedRegionIsReusedAndNeverOverlapsALiveOne) {
  TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  ASSERT_TRUE(dir.ok());
  auto a = *(*dir)->write({std::string(5000, 'a')});  // two pages
  auto b = *(*dir)->write({"b"});
  auto c = *(*dir)->write({"c"});
  const std::uint64_t a_at = a->offset();
  a.reset();  // its two pages are free now, between nothing and b
  auto d = *(*dir)->write({"d"});
  auto e = *(*dir)->write({"e"});
  EXPECT_EQ(d->offset(), a_at);  // best fit: the hole a left, not the end of the file
  EXPECT_EQ(e->offset(), a_at + 4096);
  for (const auto& [file, want] : {std::pair{b, "b"}, {c, "c"}, {d, "d"}, {e, "e"}}) {
    EXPECT_EQ(read_at(file->fd(), file->offset(), 1), want);
  }
  auto big = *(*dir)->write({std::string(9000, 'x')});  // fits no hole: at the end
  EXPECT_GT(big->offset(), c->offset());
  EXPECT_EQ((*dir)->bytes_held(), 4u * 4096 + 3 * 4096);
  b.reset(), c.reset(), d.reset(), e.reset(), big.reset();
  EXPECT_EQ((*dir)->bytes_held(), 0u);
  auto again = *(*dir)->write({"again"});  // every region merged back: from the start
  EXPECT_EQ(again->offset(), 0u);
}

TEST(BodyDir, RegionsFreedInAnyOrderMergeBackIntoAnEmptyFile) {
  TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  ASSERT_TRUE(dir.ok());
  std::vector<std::shared_ptr<const BodyFile>> files;
  for (int i = 0; i < 2000; ++i)
    files.push_back(*(*dir)->write({std::string(1 + i % 3 * 4096, 'x')}));
  std::mt19937 shuffle(12);
  std::shuffle(files.begin(), files.end(), shuffle);
  for (std::size_t i = 0; i < files.size(); i += 2) files[i].reset();  // holes everywhere
  auto refill = *(*dir)->write({"y"});  // best fit: a one-page hole, not the end
  std::uint64_t end = 0;
  for (const auto& f : files) end = f ? std::max(end, f->offset()) : end;
  EXPECT_LT(refill->offset(), end);
  refill.reset();
  files.clear();
  EXPECT_EQ((*dir)->bytes_held(), 0u);
  EXPECT_EQ((*(*dir)->write({"again"}))->offset(), 0u);
}

TEST(BodyDir, AFreedRegionIsReadAsZeros) {
  TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  ASSERT_TRUE(dir.ok());
  auto keep = *(*dir)->write({"keep"});
  auto gone = *(*dir)->write({std::string(8192, 'g')});
  auto after = *(*dir)->write({"after"});  // so that `gone` is not the file's tail
  const int fd = gone->fd();
  const std::uint64_t at = gone->offset();
  gone.reset();
  // The hole is punched (its blocks back to the file system) where the file system can.
  const std::string read = read_at(fd, at, 8192);
  EXPECT_TRUE(read == std::string(8192, '\0') || read == std::string(8192, 'g'));
  EXPECT_EQ(read_at(fd, keep->offset(), 4), "keep");
  EXPECT_EQ(read_at(fd, after->offset(), 5), "after");
}

TEST(BodyDir, ClosingFreesRegionsWithoutPunchingThemOut) {
  TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  ASSERT_TRUE(dir.ok());
  auto keep = *(*dir)->write({"keep"});
  auto gone = *(*dir)->write({std::string(8192, 'g')});
  auto after = *(*dir)->write({"after"});
  const int fd = gone->fd();
  const std::uint64_t at = gone->offset();
  (*dir)->closing();
  gone.reset();  // at shutdown: one fallocate per region would cost seconds at 20,000 feeds
  EXPECT_EQ(read_at(fd, at, 8192), std::string(8192, 'g'));
  EXPECT_EQ((*dir)->bytes_held(), 2u * 4096);  // still given back
}

TEST(BodyDir, AWritePastTheLimitFailsLikeAFullDisk) {
  TempDir scratch;
  auto dir = BodyDir::open(scratch.path(), 2 * 4096);
  ASSERT_TRUE(dir.ok());
  auto first = (*dir)->write({"one"});
  auto second = (*dir)->write({"two"});
  ASSERT_TRUE(first.ok() && second.ok());
  auto third = (*dir)->write({"three"});
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, Errc::io);
  EXPECT_NE(third.error().message.find("limit"), std::string::npos);
  first->reset();
  EXPECT_TRUE((*dir)->write({"three"}).ok());  // room again
}

std::string feed_body() {
  std::string body = "<feed>";
  for (int i = 0; i < 40; ++i)
    body += "<entry><title>第" + std::to_string(i) + "条</title></entry>";
  return body + "</feed>";
}

TEST(MakeResourceInFile, BodiesLeaveTheHeapAndReadBackWhole) {
  TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  ASSERT_TRUE(dir.ok());
  const std::string body = feed_body();
  auto r = make_resource("application/atom+xml", body, Timestamp{}, 60, true, dir->get());
  ASSERT_TRUE(r->file);
  EXPECT_TRUE(r->body.empty());
  EXPECT_TRUE(r->body_gzip.empty());
  EXPECT_EQ(r->spans[0].offset, r->file->offset());
  EXPECT_EQ(r->spans[0].length, body.size());
  EXPECT_EQ(read_at(r->file->fd(), r->spans[0].offset, body.size()), body);
  EXPECT_TRUE(r->has(Coding::gzip));
  EXPECT_EQ(r->spans[1].offset, r->spans[0].offset + body.size());  // gzip right after identity
  EXPECT_EQ(read_at(r->file->fd(), r->spans[1].offset, 2), "\x1f\x8b");
  EXPECT_NE(r->head_200[0].find("Content-Length: " + std::to_string(body.size()) + "\r\n"),
            std::string::npos);
}

TEST(MakeResourceInFile, AFullBodyFileKeepsTheBodyInMemory) {
  TempDir scratch;
  auto dir = *BodyDir::open(scratch.path(), 4096);
  auto fits = make_resource("text/plain", "in the file", Timestamp{}, 60, false, dir.get());
  EXPECT_TRUE(fits->file);
  auto r = make_resource("text/plain", "still served", Timestamp{}, 60, false, dir.get());
  EXPECT_FALSE(r->file);
  EXPECT_EQ(r->body, "still served");
  EXPECT_EQ(*identity_body(*fits), "in the file");
}

TEST(PlanReplyInFile, GetSendsTheSpanHeadSendsNothing) {
  TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  Site site;
  site.resources["/feeds/a.atom"] =
      make_resource("application/atom+xml", feed_body(), Timestamp{}, 60, true, dir->get());
  const Resource& r = *site.resources["/feeds/a.atom"];
  Reply get = plan_reply({.method = "GET", .target = "/feeds/a.atom"}, site);
  EXPECT_TRUE(get.body.empty());
  EXPECT_EQ(get.file[0].fd, r.file->fd());
  EXPECT_EQ(get.file[0].offset, r.file->offset());
  EXPECT_EQ(get.file[0].length, feed_body().size());
  EXPECT_EQ(get.body_bytes(), feed_body().size());

  Reply zipped =
      plan_reply({.method = "GET", .target = "/feeds/a.atom", .accept_encoding = "gzip"}, site);
  EXPECT_EQ(zipped.file[0].offset, r.file->offset() + feed_body().size());
  EXPECT_EQ(zipped.file[0].length, r.spans[1].length);

  Reply head = plan_reply({.method = "HEAD", .target = "/feeds/a.atom"}, site);
  EXPECT_EQ(head.body_bytes(), 0u);
  EXPECT_EQ(head.head, r.head_200[0]);
}

TEST(ArchiveInFile, PagesAreFoundWhereverTheirRegionSits) {
  TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  auto before = *(*dir)->write({"another feed's bodies"});  // the archive's region is not at 0
  std::vector<ArchiveInput> formats{{"atom", "application/atom+xml", {"<p1/>", "<p2/>"}},
                                    {"rss", "application/rss+xml", {"<r1/>", "<r2/>"}}};
  Site site;
  site.archives["/feeds/a/archive/"] =
      make_archive(1, std::move(formats), Timestamp{}, 86400, dir->get());
  ASSERT_TRUE(site.archives["/feeds/a/archive/"]->file);
  for (const auto& [path, want] :
       {std::pair{"/feeds/a/archive/2.atom", "<p2/>"}, {"/feeds/a/archive/1.rss", "<r1/>"}}) {
    auto page = find_archive_page(site, path);
    ASSERT_TRUE(page) << path;
    EXPECT_EQ(*identity_body(*page), want) << path;
  }
}

TEST(PlanReplyInFile, LimitSendsTwoSlicesOfTheIdentityBody) {
  TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  Site site;
  const std::string body = "<feed><entry>1</entry><entry>2</entry><entry>3</entry></feed>";
  site.resources["/feeds/a.atom"] =
      make_resource("application/atom+xml", body, Timestamp{}, 60, false, dir->get());
  Reply reply = plan_reply({.method = "GET", .target = "/feeds/a.atom?limit=2"}, site);
  const int fd = site.resources["/feeds/a.atom"]->file->fd();
  EXPECT_EQ(read_at(fd, reply.file[0].offset, reply.file[0].length) +
                read_at(fd, reply.file[1].offset, reply.file[1].length),
            "<feed><entry>1</entry><entry>2</entry></feed>");
  EXPECT_EQ(reply.content_length, 45u);
}

}  // namespace
}  // namespace fg::serve
