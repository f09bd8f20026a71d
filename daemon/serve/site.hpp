#pragma once
// What the server answers with: prepared Resources (every coding, header blocks serialized in
// advance) and RFC 5005 Archives, gathered in an immutable Site snapshot. Built by prepare.hpp,
// published with Server::publish (server.hpp).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/time.hpp"
#include "serve/body_file.hpp"

namespace fg::serve {

// Content codings the server can send; the index of a representation in Resource::heads.
enum class Coding { identity = 0, gzip = 1, br = 2 };
inline constexpr int kCodings = 3;

// Where one coding's bytes sit in the descriptor of a Resource's BodyFile (offsets count from
// the start of that shared file, not of the Resource's region).
struct FileSpan {
  std::uint64_t offset = 0;
  std::size_t length = 0;
};

// A resource ready to send in every coding, with its header blocks serialized in advance so that
// answering costs no formatting and no allocation. Its bodies are either in memory (`body`...)
// or, when `file` is set, in that file at `spans` (and the body strings are empty).
struct Resource {
  std::string content_type;  // e.g. "application/atom+xml; charset=utf-8"
  std::string body;
  std::string body_gzip;  // empty: no gzip variant
  std::string body_br;    // empty: no brotli variant
  std::shared_ptr<const BodyFile> file;
  FileSpan spans[kCodings];  // per Coding, when `file` is set; length 0: no such variant
  std::string etag;          // strong validator of body, quoted: "\"abc\""
  std::string etag_gzip;     // of body_gzip ("\"abc-gz\"")
  std::string etag_br;       // of body_br ("\"abc-br\"")
  Timestamp last_modified{};
  int max_age = 60;  // Cache-Control: public, max-age=N
  // The Link header of a 200 (a feed's WebSub hub and self: `<…/websub>; rel="hub", <…>;
  // rel="self"`); empty: none.
  std::string link;
  // Header lines ("Name: value\r\n" ...) for a 200 (with Content-Type, Content-Encoding and
  // Content-Length), per Coding; the 304's lines (validators and caching only) are its tail, from
  // head_304_at, so that 20,000 feeds keep one header block per variant, not two. Empty when
  // the Resource was built by hand; the server then formats headers per request.
  std::string head_200[kCodings];
  std::uint32_t head_304_at[kCodings] = {};
  std::string_view head_304(Coding c) const {
    const int i = static_cast<int>(c);
    return std::string_view(head_200[i]).substr(head_304_at[i]);
  }
  // For feeds: offsets just past each item in `body`, so `?limit=N` needs no rendering.
  std::vector<std::size_t> item_ends;
  // Codings not prepared yet, one bit per Coding (1 << Coding): a shaped variant compresses
  // each only when a reader first asks for it (serve/shaped_cache.hpp, with_coding).
  std::uint8_t pending = 0;

  const std::string& body_for(Coding c) const {
    return c == Coding::gzip ? body_gzip : c == Coding::br ? body_br : body;
  }
  const std::string& etag_for(Coding c) const {
    return c == Coding::gzip ? etag_gzip : c == Coding::br ? etag_br : etag;
  }
  // Whether a variant exists in this coding (identity always does).
  bool has(Coding c) const { return c == Coding::identity || size_for(c) > 0; }
  std::size_t size_for(Coding c) const {
    return file ? spans[static_cast<int>(c)].length : body_for(c).size();
  }
};

// Everything the server can answer, keyed by request path ("/feeds/demo.atom", "/", ...).
// Hashed: a lookup costs the same for 1 and 10,000 feeds.
struct PathHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// A feed's RFC 5005 archive pages in every format, stored together (one region of the body file)
// and answered at "<prefix><N>.<extension>", e.g. "/feeds/demo/archive/3.atom". Pages never change
// once written, so the whole index costs a few bytes per page.
struct ArchivePage {
  std::uint64_t offset = 0;  // in `file->fd()`, or in `bytes` when there is no file
  std::size_t length = 0;
  std::string etag;  // strong, quoted
};
struct ArchiveFormat {
  std::string extension;           // "atom"
  std::string content_type;        // "application/atom+xml; charset=utf-8"
  std::vector<ArchivePage> pages;  // pages first_page, first_page + 1, ...
};
struct Archive {
  std::shared_ptr<const BodyFile> file;
  std::string bytes;  // the pages, when they could not go to a file
  int first_page = 1;
  std::vector<ArchiveFormat> formats;
  Timestamp last_modified{};
  int max_age = 86400;  // pages are immutable: readers may keep them long
};

class Shaping;  // serve/shaping.hpp
class Hub;      // serve/websub.hpp

// Renders what a Site does not hold yet. At start-up the feeds are published before they are
// rendered (rendering 20,000 feeds takes minutes); a request for one not rendered yet has it
// rendered then, on the serving thread, so that every configured feed is servable at once.
class Renderer {
 public:
  virtual ~Renderer() = default;
  // The resource at `path` (a feed document or one of its archive pages), rendered now or taken
  // from what was rendered meanwhile; null when `path` names nothing it renders.
  virtual std::shared_ptr<const Resource> render(std::string_view path) const = 0;
};

struct Site {
  std::unordered_map<std::string, std::shared_ptr<const Resource>, PathHash, std::equal_to<>>
      resources;
  // Keyed by the archive's path prefix ("/feeds/demo/archive/").
  std::unordered_map<std::string, std::shared_ptr<const Archive>, PathHash, std::equal_to<>>
      archives;
  // Still being filled at start-up: a path not here yet may be a feed not rendered yet, so it is
  // answered 503 with Retry-After instead of 404, and /healthz says "starting" (503).
  bool starting = false;
  // Prepares the feed variants query parameters ask for; null: such parameters are ignored.
  std::shared_ptr<const Shaping> shaping;
  // Renders the paths not in `resources` yet (null: none are rendered on request).
  std::shared_ptr<const Renderer> renderer;
  // Takes POST /websub (WebSub subscriptions); null: /websub is not found.
  std::shared_ptr<Hub> hub;
};

// The page `path` names in `site`'s archives, as a Resource to answer with; null when none.
std::shared_ptr<const Resource> find_archive_page(const Site& site, std::string_view path);

}  // namespace fg::serve
