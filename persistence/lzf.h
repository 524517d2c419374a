// LZF, the compression RDB uses for long strings (and for the listpacks it stores as strings).
//
// Format (a stream of chunks, each starting with a control byte c):
//   c < 32          literal run: the next c + 1 bytes are copied to the output.
//   c >= 32         back-reference: len = c >> 5 (1..7); if len == 7, len += next byte;
//                   offset = ((c & 0x1f) << 8 | next byte) + 1; copy len + 2 bytes starting
//                   `offset` bytes before the current end of the output (the ranges may overlap,
//                   which repeats the last `offset` bytes).
// So a back-reference covers 3..264 bytes at a distance of 1..8192. The format carries no length:
// RDB stores the compressed and the uncompressed lengths in front of the data.
//
// Our compressor is our own greedy matcher over a hash of 3-byte prefixes. It is valid LZF, but
// not byte-identical to liblzf's output, so a compressed string we write may differ from Redis's
// bytes while decoding to the same value.
#pragma once

#include <cstddef>
#include <string_view>

namespace persistence {

// Compresses `in` into out[0, out_cap). Returns the compressed size, or 0 iff it does not fit
// (callers pass out_cap = in.size() - 4 or so to keep only compression that pays).
size_t LzfCompress(std::string_view in, char* out, size_t out_cap);

// Decompresses `in` into out[0, out_len). Returns true iff `in` is well formed and decodes to
// exactly out_len bytes; never reads or writes outside the two buffers.
[[nodiscard]] bool LzfDecompress(std::string_view in, char* out, size_t out_len);

}  // namespace persistence
