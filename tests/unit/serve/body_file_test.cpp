// Bodies kept in files: the folder, the files, make_resource's use of them and the replies
// planned from them.

#include "serve/body_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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
  EXPECT_EQ(read_at((*file)->fd(), 0, 64), "杭州news");
  EXPECT_TRUE(fs::is_empty(scratch.path()));  // nothing to clean up after a crash
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
  EXPECT_EQ(r->spans[0].offset, 0u);
  EXPECT_EQ(r->spans[0].length, body.size());
  EXPECT_EQ(read_at(r->file->fd(), 0, body.size()), body);
  EXPECT_TRUE(r->has(Coding::gzip));
  EXPECT_EQ(r->spans[1].offset, body.size());  // gzip right after identity
  EXPECT_EQ(read_at(r->file->fd(), r->spans[1].offset, 2), "\x1f\x8b");
  EXPECT_NE(r->head_200[0].find("Content-Length: " + std::to_string(body.size()) + "\r\n"),
            std::string::npos);
}

TEST(MakeResourceInFile, AnUnwritableFolderKeepsTheBodyInMemory) {
  auto dir = [] {
    TempDir scratch;
    return *BodyDir::open(scratch.path());
  }();  // the folder is gone now
  auto r = make_resource("text/plain", "still served", Timestamp{}, 60, false, dir.get());
  EXPECT_FALSE(r->file);
  EXPECT_EQ(r->body, "still served");
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
  EXPECT_EQ(get.file[0].offset, 0u);
  EXPECT_EQ(get.file[0].length, feed_body().size());
  EXPECT_EQ(get.body_bytes(), feed_body().size());

  Reply zipped =
      plan_reply({.method = "GET", .target = "/feeds/a.atom", .accept_encoding = "gzip"}, site);
  EXPECT_EQ(zipped.file[0].offset, feed_body().size());
  EXPECT_EQ(zipped.file[0].length, r.spans[1].length);

  Reply head = plan_reply({.method = "HEAD", .target = "/feeds/a.atom"}, site);
  EXPECT_EQ(head.body_bytes(), 0u);
  EXPECT_EQ(head.head, r.head_200[0]);
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
