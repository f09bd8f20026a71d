// RFC 5005 archive pages: stored once per change of the page set, looked up by path.

#include <charconv>

#include "core/log.hpp"
#include "serve/prepare.hpp"

namespace fg::serve {

std::shared_ptr<const Archive> make_archive(int first_page, std::vector<ArchiveInput> formats,
                                            Timestamp last_modified, int max_age,
                                            const BodyDir* bodies) {
  auto archive = std::make_shared<Archive>();
  archive->first_page = first_page;
  archive->last_modified = last_modified;
  archive->max_age = max_age;
  std::vector<std::string_view> parts;
  std::uint64_t offset = 0;
  for (const ArchiveInput& input : formats) {
    ArchiveFormat& format = archive->formats.emplace_back();
    format.extension = input.extension;
    format.content_type = input.content_type;
    for (const std::string& page : input.pages) {
      format.pages.push_back({offset, page.size(), strong_etag(page)});
      offset += page.size();
      parts.push_back(page);
    }
  }
  if (bodies) {
    if (auto file = bodies->write(parts)) {
      for (ArchiveFormat& format : archive->formats) {
        for (ArchivePage& page : format.pages) page.offset += (*file)->offset();
      }
      archive->file = std::move(*file);
      return archive;
    } else {
      log::warning("serve_archive_in_memory" + log::kv("error", file.error().describe()));
    }
  }
  for (std::string_view part : parts) archive->bytes.append(part);
  return archive;
}

std::shared_ptr<const Resource> find_archive_page(const Site& site, std::string_view path) {
  const auto slash = path.rfind('/');
  const auto dot = path.rfind('.');
  if (slash == std::string_view::npos || dot == std::string_view::npos || dot < slash) {
    return nullptr;
  }
  auto found = site.archives.find(path.substr(0, slash + 1));
  if (found == site.archives.end() || !found->second) return nullptr;
  const Archive& archive = *found->second;
  const std::string_view digits = path.substr(slash + 1, dot - slash - 1);
  int number = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec != std::errc{} || end != digits.data() + digits.size() || digits.starts_with('0')) {
    return nullptr;
  }
  const std::string_view extension = path.substr(dot + 1);
  for (const ArchiveFormat& format : archive.formats) {
    if (format.extension != extension) continue;
    const long index = static_cast<long>(number) - archive.first_page;
    if (index < 0 || index >= static_cast<long>(format.pages.size())) return nullptr;
    const ArchivePage& page = format.pages[static_cast<std::size_t>(index)];
    // Built per request (archive pages are rarely read); its headers are formatted per request.
    auto resource = std::make_shared<Resource>();
    resource->content_type = format.content_type;
    resource->etag = page.etag;
    resource->last_modified = archive.last_modified;
    resource->max_age = archive.max_age;
    if (archive.file) {
      resource->file = archive.file;
      resource->spans[0] = {page.offset, page.length};
    } else {
      resource->body = archive.bytes.substr(page.offset, page.length);
    }
    return resource;
  }
  return nullptr;
}

}  // namespace fg::serve
