#pragma once
// Preparing what the server sends: Resources and Archives with their compressed variants,
// validators and header blocks computed once, their bodies written to a BodyDir file (or kept in
// memory). The costly part of serving happens here, on the publishing thread.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "serve/body_file.hpp"
#include "serve/site.hpp"

namespace fg::serve {

// One rendered archive page per format and page, to be stored by make_archive().
struct ArchiveInput {
  std::string extension, content_type;
  std::vector<std::string> pages;  // oldest first
};
// Stores the pages in one file in `bodies` (in memory when null or when writing fails).
std::shared_ptr<const Archive> make_archive(int first_page, std::vector<ArchiveInput> formats,
                                            Timestamp last_modified, int max_age,
                                            const BodyDir* bodies);
// The strong validator of `body`: a quoted 64-bit FNV-1a in hex.
std::string strong_etag(std::string_view body);

// Builds a Resource, computing strong ETags, the gzip and brotli variants when worthwhile, and
// the header blocks. With `bodies`, the bodies go to a file there instead of the heap; when
// that fails they stay in memory and a warning is logged (once until writing works again).
// `link`: the Resource's Link header (Resource::link).
std::shared_ptr<const Resource> make_resource(std::string content_type, std::string body,
                                              Timestamp last_modified, int max_age,
                                              bool compress = true, const BodyDir* bodies = nullptr,
                                              std::string link = {});

// The identity body of `resource`, wherever it lives (read back from its BodyFile if need be);
// Errc::io when the file cannot be read.
Result<std::string> identity_body(const Resource& resource);

// Fills head_200 (and head_304_at) from the other fields (make_resource calls it).
void serialize_heads(Resource& resource);

}  // namespace fg::serve
